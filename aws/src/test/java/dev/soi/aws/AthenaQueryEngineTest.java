package dev.soi.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.TableStatements;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;

/**
 * The Athena adapter against stubs of Athena's JSON 1.1 protocol ({@code X-Amz-Target} routing, the
 * documented request and response shapes). The SDK's own retries are off, so the adapter's are tested.
 */
class AthenaQueryEngineTest {
    private static final String JSON = "application/x-amz-json-1.1";
    private final TableStatements statements = new TableStatements(new SqlTemplates(), "df_trusted_dev", k -> "s3://data-bucket/" + k);

    private WireMockServer athena;
    private AthenaClient client;
    private final List<Duration> sleeps = new ArrayList<>();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T03:00:00Z"));
    private AthenaQueryEngine engine;

    @BeforeEach
    void start() {
        athena = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        athena.start();
        client = AthenaClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + athena.port()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        AthenaProperties properties = new AthenaProperties("soi-batch", "df_trusted_dev", "s3://results-bucket/athena/",
                Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofMinutes(30), Duration.ofSeconds(10));
        engine = new AthenaQueryEngine(client, properties, d -> {
            sleeps.add(d);
            now.set(now.get().plus(d));
        }, now::get);
    }

    @AfterEach
    void stop() {
        client.close();
        athena.stop();
    }

    private static MappingBuilder target(String operation) {
        return post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonAthena." + operation));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", JSON).withBody(body);
    }

    private void startReturns(String id) {
        athena.stubFor(target("StartQueryExecution").willReturn(json("{\"QueryExecutionId\":\"" + id + "\"}")));
    }

    private static String execution(String id, String state, String extra) {
        return "{\"QueryExecution\":{\"QueryExecutionId\":\"" + id + "\",\"Status\":{\"State\":\"" + state + "\"" + extra + "}}}";
    }

    private void stateSequence(String id, String... states) {
        String scenario = "states-" + id;
        for (int i = 0; i < states.length; i++) {
            athena.stubFor(target("GetQueryExecution").inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "poll-" + i)
                    .willReturn(json(execution(id, states[i], "")))
                    .willSetStateTo("poll-" + (i + 1)));
        }
    }

    @Test
    void startsInTheWorkgroupAndDatabaseAndPollsThroughQueuedAndRunning() {
        startReturns("q-1");
        stateSequence("q-1", "QUEUED", "RUNNING", "RUNNING", "SUCCEEDED");

        engine.execute(statements.createDatabase());

        athena.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonAthena.StartQueryExecution"))
                .withRequestBody(matchingJsonPath("$.QueryString", equalTo("CREATE DATABASE IF NOT EXISTS df_trusted_dev")))
                .withRequestBody(matchingJsonPath("$.WorkGroup", equalTo("soi-batch")))
                .withRequestBody(matchingJsonPath("$.QueryExecutionContext.Catalog", equalTo("AwsDataCatalog")))
                .withRequestBody(notMatching(".*\"Database\".*"))
                .withRequestBody(matchingJsonPath("$.ResultConfiguration.OutputLocation", equalTo("s3://results-bucket/athena/")))
                .withRequestBody(matchingJsonPath("$.ClientRequestToken")));
        athena.verify(4, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonAthena.GetQueryExecution"))
                .withRequestBody(equalToJson("{\"QueryExecutionId\":\"q-1\"}")));
        assertThat(sleeps).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800));
    }

    @Test
    void failedQueryCarriesAthenasReasonAndTheTemplateName() {
        startReturns("q-2");
        athena.stubFor(target("GetQueryExecution").willReturn(json(execution("q-2", "FAILED",
                ",\"StateChangeReason\":\"line 1:8: Table df_trusted_dev.nope does not exist\","
                        + "\"AthenaError\":{\"ErrorCategory\":2,\"ErrorType\":1301,\"Retryable\":false}"))));

        assertThatThrownBy(() -> engine.execute(statements.pitUnits()))
                .isInstanceOfSatisfying(QueryFailedException.class, e -> {
                    assertThat(e.template()).isEqualTo("athena/pit_units");
                    assertThat(e.reason()).isEqualTo("FAILED (error type 1301): line 1:8: Table df_trusted_dev.nope does not exist [query q-2]");
                });
    }

    @Test
    void cancelledQueryFails() {
        startReturns("q-3");
        athena.stubFor(target("GetQueryExecution").willReturn(json(execution("q-3", "CANCELLED", ""))));
        assertThatThrownBy(() -> engine.execute(statements.createDatabase()))
                .isInstanceOfSatisfying(QueryFailedException.class, e -> assertThat(e.reason()).startsWith("CANCELLED"));
    }

    @Test
    void throttledStartIsRetriedThenSucceeds() {
        athena.stubFor(target("StartQueryExecution").inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON)
                        .withBody("{\"__type\":\"TooManyRequestsException\",\"Message\":\"Rate exceeded\",\"Reason\":\"CONCURRENT_QUERY_LIMIT_EXCEEDED\"}"))
                .willSetStateTo("calm"));
        athena.stubFor(target("StartQueryExecution").inScenario("throttle").whenScenarioStateIs("calm")
                .willReturn(json("{\"QueryExecutionId\":\"q-4\"}")));
        athena.stubFor(target("GetQueryExecution").willReturn(json(execution("q-4", "SUCCEEDED", ""))));

        engine.execute(statements.createDatabase());

        athena.verify(2, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonAthena.StartQueryExecution")));
    }

    @Test
    void persistentThrottlingIsRetriedWithJitteredBackoffUntilTheInvocationsDeadline() {
        athena.stubFor(target("StartQueryExecution").willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON)
                .withBody("{\"__type\":\"TooManyRequestsException\",\"Message\":\"Rate exceeded\"}")));
        Instant deadline = now.get().plusSeconds(60);
        List<Duration> waits = new ArrayList<>();
        AthenaQueryEngine engine = new AthenaQueryEngine(client, new AthenaProperties("soi-batch", "df_trusted_dev", null,
                Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofMinutes(30), Duration.ofSeconds(10)), d -> {
            waits.add(d);
            now.set(now.get().plus(d));
        }, now::get, () -> java.util.Optional.of(deadline), new java.util.Random(7));

        assertThatThrownBy(() -> engine.execute(statements.createDatabase()))
                .isInstanceOfSatisfying(QueryFailedException.class, e -> assertThat(e.reason())
                        .startsWith("throttled by Athena for ").contains("until the deadline " + deadline + ": Rate exceeded"));

        // Every try but the last was followed by a wait: each at most its cap (100 ms doubling up to 10 s), all within the deadline.
        int tries = athena.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("AmazonAthena.StartQueryExecution"))).size();
        assertThat(waits).hasSize(tries - 1);
        for (int i = 0; i < waits.size(); i++) {
            assertThat(waits.get(i)).isLessThanOrEqualTo(Duration.ofMillis(Math.min(10_000, 100L << i)));
        }
        assertThat(now.get()).isBefore(deadline);
        assertThat(waits.stream().reduce(Duration.ZERO, Duration::plus)).isGreaterThan(Duration.ofSeconds(40));
    }

    @Test
    void resultsArePagedIntoTypedRowsWithParametersAsLiterals() {
        startReturns("q-5");
        athena.stubFor(target("GetQueryExecution").willReturn(json(execution("q-5", "SUCCEEDED", ""))));
        String metadata = "\"ResultSetMetadata\":{\"ColumnInfo\":[{\"Name\":\"reference_id\",\"Type\":\"bigint\"},"
                + "{\"Name\":\"event_timestamp\",\"Type\":\"timestamp\"},{\"Name\":\"submission_id\",\"Type\":\"varchar\"}]}";
        athena.stubFor(target("GetQueryResults").withRequestBody(matchingJsonPath("$.NextToken", equalTo("page-2")))
                .willReturn(json("{\"ResultSet\":{\"Rows\":[{\"Data\":[{\"VarCharValue\":\"456\"},{\"VarCharValue\":\"2024-05-16 10:05:00.456\"},{}]}],"
                        + metadata + "}}")));
        athena.stubFor(target("GetQueryResults").withRequestBody(equalToJson("{\"QueryExecutionId\":\"q-5\",\"MaxResults\":1000}"))
                .willReturn(json("{\"ResultSet\":{\"Rows\":[{\"Data\":[{\"VarCharValue\":\"reference_id\"},{\"VarCharValue\":\"event_timestamp\"},{\"VarCharValue\":\"submission_id\"}]},"
                        + "{\"Data\":[{\"VarCharValue\":\"123\"},{\"VarCharValue\":\"2024-05-16 10:00:00.123\"},{\"VarCharValue\":\"s-1\"}]}],"
                        + metadata + "},\"NextToken\":\"page-2\"}")));

        QueryResult result = engine.query(statements.latestPackage(BusinessUnit.of("AE"), PackageName.of("job_1")));

        assertThat(result.columns()).containsExactly("reference_id", "event_timestamp", "submission_id");
        assertThat(result.rows()).containsExactly(
                List.of(123L, Instant.parse("2024-05-16T10:00:00.123Z"), "s-1"),
                Arrays.asList(456L, Instant.parse("2024-05-16T10:05:00.456Z"), null));
        athena.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonAthena.StartQueryExecution"))
                .withRequestBody(matchingJsonPath("$.ExecutionParameters[0]", equalTo("'AE'")))
                .withRequestBody(matchingJsonPath("$.ExecutionParameters[1]", equalTo("'job_1'"))));
    }

    @Test
    void aStatementPastItsTimeoutIsStoppedAndFails() {
        startReturns("q-6");
        athena.stubFor(target("GetQueryExecution").willReturn(json(execution("q-6", "RUNNING", ""))));
        athena.stubFor(target("StopQueryExecution").willReturn(json("{}")));
        AthenaQueryEngine impatient = new AthenaQueryEngine(client, new AthenaProperties("soi-batch", "df_trusted_dev", null,
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), null), d -> now.set(now.get().plus(d)), now::get);

        assertThatThrownBy(() -> impatient.execute(statements.createDatabase()))
                .isInstanceOfSatisfying(QueryFailedException.class, e -> assertThat(e.reason()).isEqualTo("timed out after PT5S (query q-6 stopped)"));
        athena.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonAthena.StopQueryExecution"))
                .withRequestBody(equalToJson("{\"QueryExecutionId\":\"q-6\"}")));
    }

    @Test
    void otherStatementsRunInTheTablesDatabase() {
        startReturns("q-db");
        stateSequence("q-db", "SUCCEEDED");

        engine.execute(statements.createPitTable());

        athena.verify(postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonAthena.StartQueryExecution"))
                .withRequestBody(matchingJsonPath("$.QueryExecutionContext.Database", equalTo("df_trusted_dev"))));
    }

    private AthenaQueryEngine withInvocationDeadline(Instant deadline, AthenaQueryEngine.Sleeper sleeper) {
        return new AthenaQueryEngine(client, new AthenaProperties("soi-batch", "df_trusted_dev", null,
                Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofMinutes(30), null), sleeper, now::get,
                () -> java.util.Optional.of(deadline));
    }

    private void verifyStopped(String id, int times) {
        athena.verify(times, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonAthena.StopQueryExecution"))
                .withRequestBody(equalToJson("{\"QueryExecutionId\":\"" + id + "\"}")));
    }

    @Test
    void aStatementIsStoppedAtTheInvocationDeadlineLongBeforeItsOwnTimeout() {
        startReturns("q-7");
        athena.stubFor(target("GetQueryExecution").willReturn(json(execution("q-7", "RUNNING", ""))));
        athena.stubFor(target("StopQueryExecution").willReturn(json("{}")));
        Instant start = now.get();
        AthenaQueryEngine engine = withInvocationDeadline(start.plusSeconds(10), d -> {
            sleeps.add(d);
            now.set(now.get().plus(d));
        });

        assertThatThrownBy(() -> engine.execute(statements.createDatabase()))
                .isInstanceOfSatisfying(QueryFailedException.class, e -> assertThat(e.reason())
                        .isEqualTo("stopped at the invocation's deadline 2026-11-23T03:00:10Z (query q-7 stopped)"));
        verifyStopped("q-7", 1);
        // 1 + 2 + 4 s, then the last wait is cut to the 3 s left rather than a full 4 s step.
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(3));
        assertThat(now.get()).isEqualTo(start.plusSeconds(10));
    }

    @Test
    void noStatementStartsWhenTheInvocationTimeIsUsedUp() {
        startReturns("q-8");
        AthenaQueryEngine engine = withInvocationDeadline(now.get(), d -> now.set(now.get().plus(d)));

        assertThatThrownBy(() -> engine.execute(statements.createDatabase()))
                .isInstanceOfSatisfying(QueryFailedException.class, e -> assertThat(e.reason())
                        .isEqualTo("not started: the invocation's time is used up"));
        athena.verify(0, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AmazonAthena.StartQueryExecution")));
    }

    @Test
    void anInterruptedWaitStopsTheQuery() {
        startReturns("q-9");
        athena.stubFor(target("GetQueryExecution").willReturn(json(execution("q-9", "RUNNING", ""))));
        athena.stubFor(target("StopQueryExecution").willReturn(json("{}")));
        AthenaQueryEngine engine = withInvocationDeadline(now.get().plusSeconds(600), d -> {
            throw new InterruptedException("the invocation is being aborted");
        });

        assertThatThrownBy(() -> engine.execute(statements.createDatabase()))
                .isInstanceOfSatisfying(QueryFailedException.class, e -> assertThat(e.reason()).isEqualTo("interrupted while waiting for Athena"));
        Thread.interrupted();
        verifyStopped("q-9", 1);
    }

    @Test
    void aFailingPollStopsTheQuery() {
        startReturns("q-10");
        athena.stubFor(target("GetQueryExecution").willReturn(aResponse().withStatus(400).withHeader("Content-Type", JSON)
                .withBody("{\"__type\":\"InvalidRequestException\",\"Message\":\"broken\"}")));
        athena.stubFor(target("StopQueryExecution").willReturn(json("{}")));

        assertThatThrownBy(() -> engine.execute(statements.createDatabase())).isInstanceOf(QueryFailedException.class);
        verifyStopped("q-10", 1);
    }

    @Test
    void aSucceededQueryIsNotStopped() {
        startReturns("q-11");
        stateSequence("q-11", "RUNNING", "SUCCEEDED");

        withInvocationDeadline(now.get().plusSeconds(600), d -> now.set(now.get().plus(d))).execute(statements.createDatabase());

        verifyStopped("q-11", 0);
    }

    @Test
    void literalsForEachParameterType() {
        assertThat(AthenaQueryEngine.literal("it's")).isEqualTo("'it''s'");
        assertThat(AthenaQueryEngine.literal(42L)).isEqualTo("42");
        assertThat(AthenaQueryEngine.literal(java.time.LocalDate.parse("2024-05-16"))).isEqualTo("DATE '2024-05-16'");
        assertThat(AthenaQueryEngine.literal(Instant.parse("2024-05-16T10:00:00.123Z"))).isEqualTo("TIMESTAMP '2024-05-16 10:00:00.123'");
        assertThatThrownBy(() -> AthenaQueryEngine.literal(1.5)).hasMessageContaining("no Athena literal");
    }
}
