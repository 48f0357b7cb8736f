package dev.soi.local;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import dev.soi.api.ApiApplication;
import dev.soi.api.security.LocalTokens;
import dev.soi.aws.S3ProxyExtension;
import dev.soi.batch.BatchApplication;
import dev.soi.batch.BatchCommands;
import dev.soi.batch.ops.RunSummary;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.IndexLayout;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.trino.AthenaProtocolServer;
import dev.soi.trino.AthenaTemplateMatcher;
import dev.soi.trino.SharedTrino;
import dev.soi.trino.TrinoQueryEngine;
import dev.soi.embedded.ElasticMqServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.soi.infra.IamPolicies;
import dev.soi.api.idempotency.ObjectStoreIdempotencyStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * AWS mode end to end, with every AWS service replaced by a server speaking its protocol: the API and the
 * batch, each started as deployed (profile {@code aws}, settings from {@code SOI_AWS_*}-style properties),
 * against ElasticMQ (SQS), S3Proxy (S3, its filesystem store on a folder), an Athena endpoint that runs each
 * statement on Trino over that same folder ({@link AthenaProtocolServer}), and a WireMock stub of EventBridge.
 * Asserts the objects written to the bucket, the exact statements Athena received (all of them the batch's: the API
 * runs none), and what the API's GETs read back from the read model the batch published, one S3 GET each. Needs the trino module's server: with {@code -DskipTrino}, or no Java 22+,
 * it reports itself skipped.
 */
@EnabledIf(value = "dev.soi.trino.SharedTrino#available", disabledReason = "no Trino here: -DskipTrino, or no Java 22+ runtime")
class AwsModeEndToEndTest {
    private static final String SECRET = "aws-mode-test-secret-of-at-least-32-bytes";
    private static final String JSON = "application/x-amz-json-1.1";
    private static final String BUCKET = "soi-data-test";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static final String DATABASE = "df_trusted_test";
    /** The bucket's folder: S3Proxy stores objects here, and Trino reads the same files. */
    private static final Path STORE = temporaryFolder();

    private static ElasticMqServer sqs;
    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.onFolder(STORE);
    private static WireMockServer aws;
    private static dev.soi.aws.GlueStandIn glue;
    private static AthenaProtocolServer athena;
    private static ConfigurableApplicationContext api;
    private static ConfigurableApplicationContext batch;
    private static final String REGION = "us-east-1";
    private static final String ACCOUNT = "123456789012";
    // One recorder per application: the API runs as ApiFunction (ApiRole), the batch as BatchFunction (BatchRole).
    private static final AwsCallRecorder API_CALLS = new AwsCallRecorder(REGION, ACCOUNT, "soi-test");
    private static final AwsCallRecorder BATCH_CALLS = new AwsCallRecorder(REGION, ACCOUNT, "soi-test");

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("soi-aws-mode-store");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        TrinoQueryEngine trino = SharedTrino.engine(DATABASE, Map.of("s3://" + BUCKET + "/soi/", STORE.resolve(BUCKET).resolve("soi") + "/"));
        // An account whose active-query quota is 2 (AWS's default is 20 to 200 by Region), shared with other users.
        athena = AthenaProtocolServer.start(trino, AthenaTemplateMatcher.ofClasspath(new SqlTemplates()),
                dev.soi.trino.AthenaLimits.Quotas.aws().withActiveQueries(2), java.time.Clock.systemUTC());
        // The default credentials chain reads these; S3Proxy checks the signature, the others accept any.
        System.setProperty("aws.accessKeyId", S3ProxyExtension.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyExtension.SECRET_KEY);
        sqs = ElasticMqServer.start(ElasticMqServer.Options.inMemory().withQueues("aws-mode", "aws-mode-dlq"));
        S3.client().createBucket(b -> b.bucket(BUCKET));
        aws = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        aws.start();
        stubEventBridge();
        // Glue holds no version of the tables here (Trino's catalog stands in for it): the prune after each swap finds
        // none, but its calls are made and checked against the batch role.
        glue = new dev.soi.aws.GlueStandIn("df_trusted_test", 100_000);

        String[] settings = {
                "soi.aws.region=us-east-1",
                "soi.aws.bucket=" + BUCKET,
                "soi.aws.prefix=soi",
                "soi.aws.queue-url=" + sqs.queueUrl(),
                "soi.aws.dlq-url=" + sqs.dlqUrl(),
                "soi.aws.event-bus=soi-test",
                "soi.aws.env=test",
                "soi.aws.endpoints.s3=" + S3.endpoint(),
                "soi.aws.endpoints.sqs=" + sqs.endpoint(),
                "soi.aws.endpoints.events=http://127.0.0.1:" + aws.port(),
                "soi.aws.endpoints.glue=" + glue.endpoint(),
                "soi.business-units=AE,CMF",
                "soi.batch.units=AE,CMF",
        };
        // Command-line arguments, so they win over the aws profile's own properties as a deployment's environment would.
        api = new SpringApplicationBuilder(ApiApplication.class).profiles("aws")
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("awsCallRecorder", API_CALLS))
                .run(arguments(settings,
                        // Cognito is not reachable here: the same resource server, with a shared secret.
                        "soi.api.auth.mode=hs256", "soi.api.auth.secret=" + SECRET, "soi.api.auth.units-claim=business_units",
                        "soi.api.auth.units-prefix=", "soi.api.auth.principal-claim=sub", "server.port=0", "server.address=127.0.0.1"));
        batch = new SpringApplicationBuilder(BatchApplication.class).profiles("aws").web(WebApplicationType.NONE)
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("awsCallRecorder", BATCH_CALLS))
                .run(arguments(settings, "spring.batch.job.enabled=false",
                        // The batch's alone: the API is started without them, and runs no query.
                        "soi.aws.athena-workgroup=soi-test", "soi.aws.athena-output-location=s3://results-bucket/athena/",
                        "soi.aws.endpoints.athena=" + athena.endpoint()));
    }

    private static String[] arguments(String[] settings, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(settings), java.util.Arrays.stream(more))
                .map(setting -> "--" + setting).toArray(String[]::new);
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", JSON).withBody(body);
    }

    private static void stubEventBridge() {
        aws.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSEvents.PutEvents"))
                .willReturn(json("{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (batch != null) {
            batch.close();
        }
        if (api != null) {
            api.close();
        }
        if (glue != null) {
            glue.close();
        }
        if (aws != null) {
            aws.stop();
        }
        if (sqs != null) {
            sqs.close();
        }
        if (athena != null) {
            athena.close();
        }
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        try (java.util.stream.Stream<Path> files = Files.walk(STORE)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static int submit(String body) throws Exception {
        return send(body, null).statusCode();
    }

    private static int submit(String body, String idempotencyKey) throws Exception {
        return send(body, idempotencyKey).statusCode();
    }

    /** The accepted submission's JSON body. */
    private static JsonNode accepted(String body) throws Exception {
        HttpResponse<String> response = send(body, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return MAPPER.readTree(response.body());
    }

    /** A GET of the API as AE's client, its status and JSON body. */
    private static HttpResponse<String> get(String path) throws Exception {
        String port = api.getEnvironment().getProperty("local.server.port");
        String token = LocalTokens.mint(SECRET, "alice", List.of("AE"), Duration.ofHours(1));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/security-of-interest/AE" + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String body, String idempotencyKey) throws Exception {
        String port = api.getEnvironment().getProperty("local.server.port");
        String token = LocalTokens.mint(SECRET, "alice", List.of("AE"), Duration.ofHours(1));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/security-of-interest/AE"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Above the queue's 256 KiB, so the API stores it under _payloads/ first (claim check). */
    private static String oversizedBody() {
        StringBuilder ids = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            ids.append(i == 0 ? "" : ",").append(1_000_000_000_000L + i);
        }
        return "{\"packages\":[{\"package_name\":\"big_1\",\"reference_ids\":[" + ids + "]},"
                + "{\"package_name\":\"big_2\",\"reference_ids\":[" + ids + "]}]}";
    }

    /**
     * Every AWS call each application made is allowed, action and resource, by its function's role in
     * template.yaml (the test's names: queue aws-mode, bucket soi-data-test given as DataBucketName, workgroup
     * and event bus soi-test).
     */
    private static void assertEveryCallIsAllowedByTheTemplate() throws Exception {
        Map<String, String> names = new java.util.HashMap<>(Map.of(
                "AWS::Partition", "aws", "AWS::Region", REGION, "AWS::AccountId", ACCOUNT,
                "DataBucketName", BUCKET, "DataPrefix", "soi", "Env", "test",
                "BatchWorkgroup", "soi-test", "AnalystWorkgroup", "soi-test-analyst"));
        names.putAll(Map.of(
                "SubmissionQueue.Arn", "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":aws-mode",
                "SubmissionDeadLetterQueue.Arn", "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":aws-mode-dlq",
                "RunEventBus.Arn", "arn:aws:events:" + REGION + ":" + ACCOUNT + ":event-bus/soi-test",
                "AthenaResultsBucket.Arn", "arn:aws:s3:::results-bucket",
                "AthenaResultsBucket", "results-bucket"));
        IamPolicies policies = new IamPolicies(Path.of("..", "template.yaml"), names, Set.of());
        List<String> denied = new java.util.ArrayList<>();
        Map<String, AwsCallRecorder> roles = Map.of("ApiRole", API_CALLS, "BatchRole", BATCH_CALLS);
        roles.forEach((role, recorder) -> {
            assertThat(recorder.unmapped()).as("AWS operations of %s with no IAM mapping in AwsCallRecorder", role).isEmpty();
            recorder.calls().stream().distinct().forEach(call -> policies.whyDenied(role, call.action(), call.resource())
                    .ifPresent(why -> denied.add(why + " (SDK operation " + call.operation() + ")")));
        });
        assertThat(API_CALLS.calls()).extracting(AwsCallRecorder.Call::action)
                .contains("sqs:SendMessage", "s3:PutObject", "s3:GetObject", "s3:DeleteObject");
        assertThat(BATCH_CALLS.calls()).extracting(AwsCallRecorder.Call::action)
                .contains("sqs:ReceiveMessage", "sqs:DeleteMessage", "s3:PutObject", "athena:StartQueryExecution", "events:PutEvents");
        assertThat(denied).as("AWS calls the template's roles do not allow").isEmpty();
    }

    /** The first line of each statement Athena was asked to run, in order. */
    private static List<String> athenaStatements() {
        return athena.statements().stream().map(sql -> sql.lines().findFirst().orElse("")).toList();
    }

    @Test
    void apiAndBatchInAwsModeWriteTheExpectedObjectsAndStatements() throws Exception {
        BatchCommands commands = batch.getBean(BatchCommands.class);
        assertThat(commands.bootstrap().outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);

        JsonNode first = accepted("{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[123,456]}]}");
        JsonNode second = accepted("{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[123]}]}");
        assertThat(get("/submissions/" + first.get("submission_id").asString()).body()).contains("\"QUEUED\"");

        // Other users hold both active-query slots as the run starts, and let go only once the endpoint has refused the
        // batch's statements twice with TooManyRequestsException: the run backs off, retries, and completes.
        athena.occupyUntilRefused(2, 2, java.time.Duration.ofMinutes(2));
        RunSummary run = commands.run();
        assertThat(run.outcome()).as(run.line()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(athena.refused("TooManyRequestsException")).as("starts refused for the quota").isGreaterThanOrEqualTo(2);
        assertThat(run.submissionsApplied()).isEqualTo(2);
        assertThat(run.rowsWritten()).isEqualTo(3);

        // The partitions are the UTC dates the API stamped, not the test's own clock: a test across midnight stays green.
        List<String> pitFiles = Stream.of(first, second)
                .map(s -> LocalDate.ofInstant(Instant.parse(s.get("accepted_at").asString()), ZoneOffset.UTC)).distinct().sorted()
                .map(day -> "soi/security_of_interest_pit/business_unit=AE/request_date=" + day + "/" + run.runId() + "-0.parquet")
                .toList();
        List<String> keys = S3.client().listObjectsV2(b -> b.bucket(BUCKET)).contents().stream()
                .map(o -> o.key()).sorted().toList();
        dev.soi.core.domain.BusinessUnit ae = dev.soi.core.domain.BusinessUnit.of("AE");
        List<String> readModel = Stream.concat(Stream.of(
                StorageLayout.readModelIndexPageKey(ae, 0),
                StorageLayout.readModelPackageKey(ae, dev.soi.core.domain.PackageName.of("job_1")),
                StorageLayout.READ_MODEL_PUBLISHED_KEY), Stream.of(first, second).map(s -> StorageLayout.readModelStatusKey(ae,
                        dev.soi.core.domain.SubmissionId.parse(s.get("submission_id").asString()))).sorted())
                .map(k -> "soi/" + k).toList();
        // The new latest version is what Trino's CTAS wrote into the folder S3Proxy serves: one file, named by Trino.
        String latestVersion = "soi/" + StorageLayout.latestVersionPrefix(run.runId());
        assertThat(keys.stream().filter(k -> k.startsWith(latestVersion))).hasSize(1);
        // The compaction index (built once, the run's partitions due) and the applied index (the run, by acceptance hour).
        List<String> indexes = Stream.of(Stream.of("soi/_compactions/active/_built"),
                pitFiles.stream().map(f -> "soi/_compactions/queue/due/" + f.substring("soi/security_of_interest_pit/".length(), f.lastIndexOf('/'))),
                Stream.of("soi/_journal/applied-since.json"),
                Stream.of(first, second).map(s -> "soi/" + IndexLayout.appliedKey(Instant.parse(s.get("accepted_at").asString()),
                        new RunId(run.runId()))).distinct().sorted()).flatMap(k -> k).toList();
        assertThat(keys.stream().filter(k -> !k.startsWith(latestVersion))).containsExactlyElementsOf(Stream.of(indexes.stream(), Stream.of(
                "soi/_journal/last-completed.json",
                "soi/_journal/last-done.json",
                "soi/_journal/latest-current.json",
                "soi/_lease"), readModel.stream(), Stream.of("soi/_runs/" + run.runId() + ".json"), pitFiles.stream())
                .flatMap(k -> k).toList());

        // The API reads back, from the read model in S3, what the batch published from the table Trino built: one GET each.
        int before = API_CALLS.calls().size();
        HttpResponse<String> latest = get("/packages/job_1");
        assertThat(API_CALLS.calls().subList(before, API_CALLS.calls().size())).containsExactly(new AwsCallRecorder.Call("GetObject",
                "s3:GetObject", "arn:aws:s3:::" + BUCKET + "/soi/" + StorageLayout.readModelPackageKey(ae, dev.soi.core.domain.PackageName.of("job_1"))));
        assertThat(latest.statusCode()).as(latest.body()).isEqualTo(200);
        assertThat(MAPPER.readTree(latest.body())).isEqualTo(MAPPER.readTree("{\"business_unit\":\"AE\",\"package_name\":\"job_1\","
                + "\"reference_ids\":[123],\"event_timestamp\":\"" + second.get("accepted_at").asString() + "\","
                + "\"submission_id\":\"" + second.get("submission_id").asString() + "\"}"));
        before = API_CALLS.calls().size();
        HttpResponse<String> page = get("/packages?page=0&size=10");
        assertThat(API_CALLS.calls().subList(before, API_CALLS.calls().size())).extracting(AwsCallRecorder.Call::resource)
                .containsExactly("arn:aws:s3:::" + BUCKET + "/soi/" + StorageLayout.readModelIndexPageKey(ae, 0));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(MAPPER.readTree(page.body())).isEqualTo(MAPPER.readTree("{\"business_unit\":\"AE\",\"page\":0,\"size\":10,\"packages\":["
                + "{\"package_name\":\"job_1\",\"reference_ids_count\":1,\"event_timestamp\":\"" + second.get("accepted_at").asString() + "\","
                + "\"submission_id\":\"" + second.get("submission_id").asString() + "\"}],\"has_next\":false}"));
        assertThat(get("/packages/job_9").statusCode()).isEqualTo(404);
        for (JsonNode submission : List.of(first, second)) {
            assertThat(MAPPER.readTree(get("/submissions/" + submission.get("submission_id").asString()).body()).get("status").asString())
                    .isEqualTo("APPLIED");
        }

        // Every statement Athena received, in order, all of them the batch's: bootstrap, then the run, whose first
        // publication of the read model is a full one. The API's GETs, before the run and after it, sent none.
        String staging = StorageLayout.stagingTable(new RunId(run.runId()));
        assertThat(athenaStatements()).containsExactly(
                "CREATE DATABASE IF NOT EXISTS df_trusted_test",
                "CREATE EXTERNAL TABLE IF NOT EXISTS df_trusted_test.security_of_interest_pit (",
                "CREATE EXTERNAL TABLE IF NOT EXISTS df_trusted_test.security_of_interest_latest (",
                "ALTER TABLE df_trusted_test.security_of_interest_pit ADD IF NOT EXISTS",
                "SELECT count(DISTINCT arrived.submission_id) AS out_of_order, min(arrived.submission_id) AS example_submission_id",
                // The first build is full: the units with PIT partitions (AE only), one CTAS each, the candidate, checks, swap.
                "SELECT DISTINCT business_unit FROM df_trusted_test.\"security_of_interest_pit$partitions\" ORDER BY business_unit",
                "CREATE TABLE df_trusted_test." + staging + "_ae",
                "DROP TABLE IF EXISTS df_trusted_test." + staging + "_ae",
                "CREATE EXTERNAL TABLE IF NOT EXISTS df_trusted_test." + staging + " (",
                "SELECT coalesce(sum(n), 0) AS row_count, coalesce(sum(n - 1), 0) AS duplicate_rows",
                "SELECT count(*) AS previous_packages,",
                "ALTER TABLE df_trusted_test.security_of_interest_latest SET TBLPROPERTIES (",
                "DROP TABLE IF EXISTS df_trusted_test." + staging,
                "WITH written AS (");
        assertThat(API_CALLS.calls()).extracting(AwsCallRecorder.Call::action).as("the API makes no Athena or Glue call")
                .noneMatch(a -> a.startsWith("athena:") || a.startsWith("glue:"));

        aws.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSEvents.PutEvents"))
                .withRequestBody(matchingJsonPath("$.Entries[0].EventBusName", equalTo("soi-test")))
                .withRequestBody(matchingJsonPath("$.Entries[0].DetailType", equalTo("SecurityOfInterestRunCompleted"))));

        // An idempotent submission, then one the queue refuses (it is gone): the API puts its claim-check
        // payload and idempotency record, then must delete both again, which needs s3:DeleteObject there.
        assertThat(submit("{\"packages\":[{\"package_name\":\"job_2\",\"reference_ids\":[7]}]}", "key-1")).isEqualTo(202);
        try (software.amazon.awssdk.services.sqs.SqsClient client = sqs.client()) {
            client.deleteQueue(b -> b.queueUrl(sqs.queueUrl()));
        }
        assertThat(submit(oversizedBody(), "key-2")).isEqualTo(503);
        assertThat(S3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("soi/_")).contents()).extracting(o -> o.key())
                .as("the refused submission left no payload and no pending idempotency record")
                .noneMatch(k -> k.startsWith("soi/_payloads/")
                        || k.equals("soi/" + ObjectStoreIdempotencyStore.objectKey(dev.soi.core.domain.BusinessUnit.of("AE"), "key-2")));

        assertEveryCallIsAllowedByTheTemplate();
    }
}
