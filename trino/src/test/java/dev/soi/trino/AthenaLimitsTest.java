package dev.soi.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.soi.aws.AthenaProperties;
import dev.soi.aws.AthenaQueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.TableStatements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.AthenaException;
import software.amazon.awssdk.services.athena.model.ThrottleReason;
import software.amazon.awssdk.services.athena.model.TooManyRequestsException;

/**
 * Athena's limits in the stand-in ({@link AthenaLimits}), seen through the AWS SDK with its retries off, and through
 * the batch's Athena adapter, which retries throttling within its deadline.
 */
@EnabledIf(value = "dev.soi.trino.SharedTrino#available", disabledReason = "no Trino here: -DskipTrino, or no Java 22+ runtime")
class AthenaLimitsTest {
    private static final SqlTemplates SQL = new SqlTemplates();
    private static final String DATABASE = "df_limits_test";
    private static final String BUCKET = "s3://soi-limits-bucket/";
    private static Path folder;
    private static TrinoQueryEngine trino;

    @BeforeAll
    static void start() throws Exception {
        folder = Files.createTempDirectory("soi-athena-limits");
        trino = SharedTrino.engine(DATABASE, Map.of(BUCKET, folder.toAbsolutePath() + "/"));
    }

    @AfterAll
    static void stop() {
        if (trino != null) {
            trino.dropSchema(DATABASE);
        }
        SharedTrino.deleteTree(folder);
    }

    private static AthenaProtocolServer server(AthenaLimits.Quotas quotas, Clock clock) {
        return AthenaProtocolServer.start(trino, AthenaTemplateMatcher.ofClasspath(SQL), quotas, clock);
    }

    /** A client that reports each refusal as it comes, without the SDK's own retries. */
    private static AthenaClient client(AthenaProtocolServer server) {
        return AthenaClient.builder().endpointOverride(server.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()))
                .httpClientBuilder(ApacheHttpClient.builder()).build();
    }

    private static String start(AthenaClient client, String query) {
        return client.startQueryExecution(b -> b.queryString(query).workGroup("soi-test")).queryExecutionId();
    }

    private static AthenaQueryEngine adapter(AthenaClient client) {
        return new AthenaQueryEngine(client, new AthenaProperties("soi-test", DATABASE, "s3://results-bucket/athena/",
                Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofMinutes(2), Duration.ofMillis(200)));
    }

    @Test
    void aStartPastTheActiveDmlQuotaIsRefusedWhileOtherQueriesHoldItAndAdmittedOnceOneEnds() throws Exception {
        try (AthenaProtocolServer server = server(AthenaLimits.Quotas.aws().withActiveQueries(2), Clock.systemUTC());
             AthenaClient client = client(server)) {
            AutoCloseable others = server.occupy(2);

            assertThatThrownBy(() -> start(client, "SELECT 1")).isInstanceOfSatisfying(TooManyRequestsException.class, e -> {
                assertThat(e.reason()).isEqualTo(ThrottleReason.CONCURRENT_QUERY_LIMIT_EXCEEDED);
                assertThat(e.getMessage()).startsWith("You have exceeded the limit for the number of queries you can run concurrently");
            });
            assertThat(start(client, "SHOW SCHEMAS")).as("DDL counts against its own quota").isNotBlank();
            others.close();
            assertThat(start(client, "SELECT 1")).isNotBlank();
            assertThat(server.refused("TooManyRequestsException")).isEqualTo(1);
        }
    }

    @Test
    void theBatchsAdapterWaitsOutAFullQuotaAndItsQueryRuns() throws Exception {
        try (AthenaProtocolServer server = server(AthenaLimits.Quotas.aws().withActiveQueries(2), Clock.systemUTC());
             AthenaClient client = client(server)) {
            server.occupyUntilRefused(2, 2, Duration.ofMinutes(1));
            Logger logger = (Logger) LoggerFactory.getLogger(AthenaQueryEngine.class);
            ListAppender<ILoggingEvent> appender = new ListAppender<>();
            appender.start();
            logger.addAppender(appender);
            try {
                var rows = adapter(client).query(SQL.render("testing/athena_types", Map.of())).rows();

                assertThat(rows).hasSize(1);
            } finally {
                logger.detachAppender(appender);
            }
            assertThat(server.refused("TooManyRequestsException")).isGreaterThanOrEqualTo(2);
            assertThat(server.executionIds()).hasSize(1);
            assertThat(appender.list).as("one warning at the first refusal, one line once admitted; none per backoff step")
                    .extracting(ILoggingEvent::getLevel).containsExactly(Level.WARN, Level.INFO);
            assertThat(appender.list.get(0).getFormattedMessage()).startsWith(
                    "Athena throttled testing/athena_types (TooManyRequestsException); retrying with backoff until its deadline ");
            assertThat(appender.list.get(1).getFormattedMessage()).matches(
                    "Athena admitted testing/athena_types after [2-9][0-9]* throttled tries in [0-9]+ ms");
        }
    }

    @Test
    void startsPastTheCallRateAreThrottled() throws Exception {
        Clock stopped = Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC);
        try (AthenaProtocolServer server = server(new AthenaLimits.Quotas(200, 20, 1.0, 2, 100), stopped);
             AthenaClient client = client(server)) {
            start(client, "SELECT 1");
            start(client, "SELECT 2");

            assertThatThrownBy(() -> start(client, "SELECT 3")).isInstanceOfSatisfying(AthenaException.class, e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
                assertThat(e.isThrottlingException()).isTrue();
            });
            assertThat(server.refused("ThrottlingException")).isEqualTo(1);
        }
    }

    @Test
    void aCtasWritingMoreThanOneHundredPartitionsFailsAsAthenaFailsItAndOneHundredPass() throws Exception {
        try (AthenaProtocolServer server = server(AthenaLimits.Quotas.aws(), Clock.systemUTC()); AthenaClient client = client(server)) {
            AthenaQueryEngine athena = adapter(client);
            athena.execute(new TableStatements(SQL, DATABASE, key -> BUCKET + key).createDatabase());

            athena.execute(ctas("hundred", 100));

            assertThatThrownBy(() -> athena.execute(ctas("hundred_and_one", 101))).isInstanceOf(QueryFailedException.class)
                    .hasMessageContaining("HIVE_TOO_MANY_OPEN_PARTITIONS: Exceeded limit of 100 open writers for partitions/buckets");
            assertThat(Files.list(folder.resolve("hundred")).count()).isEqualTo(100);
            assertThat(Files.exists(folder.resolve("hundred_and_one"))).as("nothing written").isFalse();
        }
    }

    private static dev.soi.core.sql.Statement ctas(String table, int partitions) {
        return SQL.render("testing/ctas_partitions", Map.of("database", SqlToken.identifier(DATABASE), "table",
                // Trino's own form of a folder: the statement is no batch template, so the stand-in passes it on as written.
                SqlToken.identifier(table), "location", SqlToken.location("local://" + folder.toAbsolutePath() + "/" + table + "/"),
                "partitions", SqlToken.count(partitions)));
    }
}
