package dev.soi.trino;

import static dev.soi.core.sql.SqlTemplates.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.aws.AthenaProperties;
import dev.soi.aws.AthenaQueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;

/**
 * The Athena adapter, unchanged, over the Athena protocol on Trino: how it reads Athena's all-string rows and
 * {@code ResultSetMetadata} into typed values, pages, reports a failed statement, and stops a query.
 */
@EnabledIf(value = "dev.soi.trino.SharedTrino#available", disabledReason = "no Trino here: -DskipTrino, or no Java 22+ runtime")
class AthenaQueryEngineOnTrinoTest {
    private static final SqlTemplates SQL = new SqlTemplates();
    private static AthenaProtocolServer server;
    private static AthenaClient client;

    @BeforeAll
    static void start() {
        TrinoQueryEngine trino = new TrinoQueryEngine(new TrinoProperties(SharedTrino.server().jdbcUrl(), "soi-athena", Map.of()));
        server = AthenaProtocolServer.start(trino, AthenaTemplateMatcher.ofClasspath(SQL));
        client = AthenaClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static AthenaQueryEngine engine(Duration timeout) {
        return new AthenaQueryEngine(client, new AthenaProperties("soi-test", "df_trusted_test", "s3://results-bucket/athena/",
                Duration.ofMillis(20), Duration.ofMillis(200), timeout, Duration.ofMillis(200)));
    }

    @Test
    void readsEveryTypeFromAthenasStringRows() {
        QueryResult result = engine(Duration.ofMinutes(2)).query(SQL.render("testing/athena_types", Map.of()));

        assertThat(result.columns()).containsExactly("an_integer", "a_bigint", "a_varchar", "a_date", "a_timestamp",
                "a_boolean", "a_double", "a_decimal", "a_null");
        assertThat(result.rows()).containsExactly(Arrays.asList(42L, 9007199254740993L, "O'Brien, 100%", LocalDate.of(2024, 5, 16),
                Instant.parse("2024-05-16T10:11:12.345Z"), true, 1.5, new BigDecimal("12.34"), null));
    }

    @Test
    void answersInAthenasResultFormat() {
        String id = client.startQueryExecution(b -> b.queryString(SQL.render("testing/athena_types", Map.of()).sql())
                .workGroup("soi-test")).queryExecutionId();
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> state(id) == QueryExecutionState.SUCCEEDED);

        GetQueryResultsResponse page = client.getQueryResults(b -> b.queryExecutionId(id));

        assertThat(page.resultSet().resultSetMetadata().columnInfo()).extracting(c -> c.name() + ":" + c.type()).containsExactly(
                "an_integer:integer", "a_bigint:bigint", "a_varchar:varchar", "a_date:date", "a_timestamp:timestamp",
                "a_boolean:boolean", "a_double:double", "a_decimal:decimal", "a_null:varchar");
        assertThat(page.resultSet().resultSetMetadata().columnInfo().get(7).precision()).isEqualTo(10);
        assertThat(page.resultSet().resultSetMetadata().columnInfo().get(7).scale()).isEqualTo(2);
        // The header row first, then the values, all strings; NULL has no VarCharValue.
        assertThat(page.resultSet().rows()).hasSize(2);
        assertThat(page.resultSet().rows().get(0).data()).extracting(d -> d.varCharValue()).containsExactly(
                "an_integer", "a_bigint", "a_varchar", "a_date", "a_timestamp", "a_boolean", "a_double", "a_decimal", "a_null");
        assertThat(page.resultSet().rows().get(1).data()).extracting(d -> d.varCharValue()).containsExactly(
                "42", "9007199254740993", "O'Brien, 100%", "2024-05-16", "2024-05-16 10:11:12.345", "true", "1.5", "12.34", null);
        assertThat(page.nextToken()).isNull();
        QueryExecution execution = client.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution();
        assertThat(execution.statementTypeAsString()).isEqualTo("DML");
        assertThat(execution.workGroup()).isEqualTo("soi-test");
        assertThat(execution.status().completionDateTime()).isNotNull();
    }

    @Test
    void pagesThroughMoreRowsThanOnePageHolds() {
        int before = server.calls("GetQueryResults");

        QueryResult result = engine(Duration.ofMinutes(2)).query(SQL.render("testing/numbered_rows", Map.of(), 2500L));

        assertThat(result.columns()).containsExactly("n");
        assertThat(result.rows()).extracting(row -> row.get(0)).containsExactlyElementsOf(
                LongStream.rangeClosed(1, 2500).boxed().map(n -> (Object) n).toList());
        // 2,501 rows with the header, 1,000 a page.
        assertThat(server.calls("GetQueryResults") - before).isEqualTo(3);
    }

    @Test
    void aFailingStatementFailsWithTrinosReason() {
        assertThatThrownBy(() -> engine(Duration.ofMinutes(2)).query(SQL.render("athena/pit_units",
                tokens("database", SqlToken.identifier("no_such_database")))))
                .isInstanceOf(QueryFailedException.class)
                .hasMessageContaining("athena/pit_units")
                .hasMessageContaining("FAILED")
                .hasMessageContaining("Schema 'no_such_database' does not exist");
    }

    @Test
    void aStatementPastItsTimeoutIsStoppedAndEndsCancelled() {
        int stops = server.calls("StopQueryExecution");

        assertThatThrownBy(() -> engine(Duration.ofSeconds(2)).query(SQL.render("testing/long_running", Map.of())))
                .isInstanceOf(QueryFailedException.class)
                .hasMessageContaining("timed out after PT2S");

        assertThat(server.calls("StopQueryExecution") - stops).isEqualTo(1);
        String id = lastExecutionOf(SQL.render("testing/long_running", Map.of()).sql());
        // The Trino query is cancelled, so the execution ends (the query itself would run for hours).
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> state(id) == QueryExecutionState.CANCELLED);
        assertThat(client.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution().status().stateChangeReason())
                .isEqualTo("Query cancelled by StopQueryExecution");
    }

    @Test
    void errorsComeInAthenasShape() {
        assertThatThrownBy(() -> client.getQueryExecution(b -> b.queryExecutionId("no-such-query")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("QueryExecution no-such-query was not found");
        String id = client.startQueryExecution(b -> b.queryString(SQL.render("testing/long_running", Map.of()).sql())).queryExecutionId();
        try {
            assertThatThrownBy(() -> client.getQueryResults(b -> b.queryExecutionId(id)))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("Query has not yet finished. Current state: ");
            assertThatThrownBy(() -> client.getQueryResults(b -> b.queryExecutionId(id).maxResults(1001)))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("MaxResults must be between 1 and 1000: 1001");
        } finally {
            client.stopQueryExecution(b -> b.queryExecutionId(id));
        }
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> state(id) == QueryExecutionState.CANCELLED);
    }

    @Test
    void aRepeatedClientRequestTokenIsTheSameExecution() {
        String sql = SQL.render("testing/numbered_rows", Map.of(), 3L).sql();
        String first = client.startQueryExecution(b -> b.queryString(sql).executionParameters("3").clientRequestToken("token-0000000000000000000000001")).queryExecutionId();
        String again = client.startQueryExecution(b -> b.queryString(sql).executionParameters("3").clientRequestToken("token-0000000000000000000000001")).queryExecutionId();

        assertThat(again).isEqualTo(first);
        assertThatThrownBy(() -> client.startQueryExecution(b -> b.queryString(sql + " LIMIT 1").clientRequestToken("token-0000000000000000000000001")))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("Idempotent parameters do not match");
    }

    private static QueryExecutionState state(String id) {
        return client.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution().status().state();
    }

    private static String lastExecutionOf(String sql) {
        List<String> statements = server.statements();
        assertThat(statements).contains(sql);
        return server.executionIds().get(statements.lastIndexOf(sql));
    }
}
