package dev.soi.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.api.security.LocalTokens;
import dev.soi.batch.BatchCommands;
import dev.soi.batch.ops.RunSummary;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.sql.TableStatements;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The motivating example on the real local stack: HTTP API → ElasticMQ → Spring Batch job → Parquet in
 * the data folder → DuckDB → the read model in the data folder → HTTP API.
 */
@SpringBootTest(classes = {LocalApplication.class, LocalStackEndToEndTest.Disk.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LocalStackEndToEndTest {
    /** The device under the queue's folder, as the stack sees it: roomy, until a test fills it. */
    static final class Disk implements DiskSpace {
        volatile boolean full;

        @Override
        public long usableBytes(Path folder) {
            return full ? 4096 : 1L << 40;
        }
    }

    private static final String SECRET = "local-stack-test-secret-of-at-least-32-bytes";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path home;

    @DynamicPropertySource
    static void localHome(DynamicPropertyRegistry registry) {
        registry.add("soi.local.home", () -> home.toString());
        registry.add("soi.api.auth.secret", () -> SECRET);
        // The test drives runs itself; the scheduler's first tick must not race it.
        registry.add("soi.local.schedule", () -> "1h");
        registry.add("server.port", () -> "0");
    }

    @LocalServerPort
    int port;
    @Autowired
    BatchCommands commands;
    @Autowired
    dev.soi.core.port.SubmissionQueue queue;
    @Autowired
    QueryEngine engine;
    @Autowired
    TableStatements statements;
    @Autowired
    Disk disk;
    @Autowired
    LocalHome localHome;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String token = LocalTokens.mint(SECRET, "alice", List.of("AE"), Duration.ofHours(1));
    private final String operator = LocalTokens.mint(SECRET, "ops", List.of("soi-operator"), Duration.ofHours(1));

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        return send(token, method, path, body);
    }

    /** As {@link #send(String, String, String)}, with this bearer token (none when null). */
    private HttpResponse<String> send(String bearer, String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String status(String submissionId) throws Exception {
        HttpResponse<String> response = send("GET", "/api/v1/security-of-interest/AE/submissions/" + submissionId, null);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).get("status").asString();
    }

    @Test
    void latestKeepsOnlyNewestVersionAndPitKeepsBoth() throws Exception {
        HttpResponse<String> first = send("POST", "/api/v1/security-of-interest/AE",
                "{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[123,456]}]}");
        assertThat(first.statusCode()).isEqualTo(202);
        String firstId = JSON.readTree(first.body()).get("submission_id").asString();
        assertThat(status(firstId)).isEqualTo("QUEUED");

        HttpResponse<String> second = send("POST", "/api/v1/security-of-interest/AE",
                "{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[123]}]}");
        assertThat(second.statusCode()).isEqualTo(202);
        String secondId = JSON.readTree(second.body()).get("submission_id").asString();

        long pitBefore = pitRows();
        RunSummary summary = commands.run();
        assertThat(summary.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(summary.submissionsApplied()).isEqualTo(2);

        HttpResponse<String> latest = send("GET", "/api/v1/security-of-interest/AE/packages/job_1", null);
        assertThat(latest.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(latest.body());
        assertThat(body.get("reference_ids").toString()).isEqualTo("[123]");
        assertThat(body.get("submission_id").asString()).isEqualTo(secondId);
        assertThat(status(firstId)).isEqualTo("APPLIED");
        assertThat(status(secondId)).isEqualTo("APPLIED");

        assertThat(pitRows()).as("both versions' rows: the other tests of this stack add theirs").isEqualTo(pitBefore + 3);
    }

    private long pitRows() {
        return (Long) engine.query(new dev.soi.core.sql.SqlTemplates().render("testing/count_pit",
                java.util.Map.of("database", dev.soi.core.sql.SqlToken.identifier(statements.database())))).rows().get(0).get(0);
    }

    @Test
    void bootstrapEndpointIsIdempotent() throws Exception {
        HttpResponse<String> response = send(operator, "POST", "/local/bootstrap", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("command").asString()).isEqualTo("bootstrap");
        assertThat(JSON.readTree(response.body()).get("outcome").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void runEndpointAnswersWithTheRunSummary() throws Exception {
        HttpResponse<String> response = send(operator, "POST", "/local/run", null);
        assertThat(response.statusCode()).isEqualTo(200);
        Map<?, ?> summary = JSON.readValue(response.body(), Map.class);
        assertThat(summary.get("outcome")).isEqualTo("COMPLETED");
    }

    // ------------------------------------------------------------------ operating it

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"POST /local/run", "POST /local/rebuild-latest", "POST /local/compact",
            "POST /local/bootstrap", "GET /local/status", "POST /local/status", "GET /local/dlq", "POST /local/dlq/redrive?all=true"})
    void everyOperatorControlRefusesAUnitTokenAndAMissingOne(String call) throws Exception {
        String method = call.split(" ")[0];
        String path = call.split(" ")[1];
        long runsBefore = commands.status().lastRuns().size();

        HttpResponse<String> unit = send(token, method, path, null);
        HttpResponse<String> anonymous = send(null, method, path, null);

        assertThat(unit.statusCode()).isEqualTo(403);
        assertThat(unit.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(unit.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:soi:problem:access-denied");
        assertThat(problem.get("detail").asString()).isEqualTo(path.replaceFirst("\\?.*", "") + " is an operator control: it needs "
                + "a token whose business_units claim holds soi-operator (./soi token --operator)");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(commands.status().lastRuns()).as("nothing ran").hasSize((int) runsBefore);
    }

    /**
     * What {@code ./soi compact} and {@code ./soi rebuild-latest --full} read: one line per unit of work as the command does
     * it, then the summary. Without the header, the same calls answer the summary alone.
     */
    @Test
    void longCommandsStreamOneProgressLinePerUnitOfWorkThenTheirSummary() throws Exception {
        HttpResponse<String> accepted = send("POST", "/api/v1/security-of-interest/AE",
                "{\"packages\":[{\"package_name\":\"job_progress\",\"reference_ids\":[7]}]}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        String day = java.time.LocalDate.ofInstant(java.time.Instant.parse(JSON.readTree(accepted.body()).get("accepted_at").asString()),
                java.time.ZoneOffset.UTC).toString();
        assertThat(commands.run().outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);

        HttpResponse<String> compacted = sendAccepting("/local/compact?through=" + day, "application/x-ndjson");
        HttpResponse<String> rebuilt = sendAccepting("/local/rebuild-latest?full=true", "application/x-ndjson");
        HttpResponse<String> plain = sendAccepting("/local/rebuild-latest?full=true", null);

        assertThat(compacted.statusCode()).isEqualTo(200);
        assertThat(compacted.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
        List<JsonNode> compaction = compacted.body().lines().map(JSON::readTree).toList();
        assertThat(compaction.subList(0, compaction.size() - 1)).isNotEmpty().allSatisfy(line -> assertThat(line.has("progress")).isTrue());
        assertThat(compaction).anySatisfy(line -> assertThat(line.path("progress").asString())
                .matches("compact-partitions: AE/" + day + " done, 1 of 1 partitions in .*"));
        assertThat(compaction.get(compaction.size() - 1).get("command").asString()).isEqualTo("compact");
        assertThat(compaction.get(compaction.size() - 1).get("outcome").asString()).isEqualTo("COMPLETED");

        List<JsonNode> rebuild = rebuilt.body().lines().map(JSON::readTree).toList();
        JsonNode summary = rebuild.get(rebuild.size() - 1);
        assertThat(summary.get("outcome").asString()).isEqualTo("COMPLETED");
        assertThat(rebuild).anySatisfy(line -> assertThat(line.path("progress").asString())
                .matches("rebuild-latest: AE of version " + summary.get("run_id").asString() + " done, 1 of [0-9]+ units in .*"));
        assertThat(plain.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(JSON.readTree(plain.body()).get("outcome").asString()).isEqualTo("COMPLETED");
    }

    private HttpResponse<String> sendAccepting(String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + operator)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void deadLettersAreListedOnlyToOperatorsAndAUnitStillSeesItsOwnReason() throws Exception {
        String id = dev.soi.core.domain.SubmissionId.generate(java.time.Instant.now(), new java.util.Random(7)).toString();
        queue.enqueue(List.of(new dev.soi.core.port.QueueMessage("{not json", Map.of(
                dev.soi.core.message.SubmissionMessages.ATTR_BUSINESS_UNIT, "AE",
                dev.soi.core.message.SubmissionMessages.ATTR_SUBMISSION_ID, id))));
        assertThat(commands.run().deadLettered()).isEqualTo(1);

        HttpResponse<String> own = send(token, "GET", "/api/v1/security-of-interest/AE/submissions/" + id, null);
        HttpResponse<String> listedToUnit = send(token, "GET", "/local/dlq", null);
        HttpResponse<String> listedToOperator = send(operator, "GET", "/local/dlq", null);

        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(own.body()).get("status").asString()).isEqualTo("DEAD_LETTERED");
        assertThat(JSON.readTree(own.body()).get("reason").asString()).startsWith("message body is not valid JSON: ");
        assertThat(listedToUnit.statusCode()).isEqualTo(403);
        assertThat(listedToOperator.statusCode()).isEqualTo(200);
        assertThat(listedToOperator.body()).contains(id);
        assertThat(send(operator, "POST", "/local/dlq/redrive?submission_id=" + id, null).statusCode()).isEqualTo(200);
        commands.run();
    }

    @Test
    void statusAnswersOperatorsAndSaysWhetherSomethingNeedsThem() throws Exception {
        HttpResponse<String> response = send(operator, "GET", "/local/status", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode status = JSON.readTree(response.body());
        assertThat(status.get("needs_operator").asBoolean()).isFalse();
        assertThat(status.get("problems").size()).isZero();
        assertThat(status.get("summary").asString()).startsWith("No run holds the lease. ");
    }

    /**
     * A full device under the queue's folder: the API refuses at once with 503 and Retry-After (before: ElasticMQ's
     * 21-second timeout, twice), nothing reaches the queue, and status names the folder.
     */
    @Test
    void aFullQueueDeviceIsA503WithRetryAfterAtOnceAndStatusNamesIt() throws Exception {
        long queued = queue.approximateDepth();
        disk.full = true;
        try {
            HttpResponse<String> refused = send("POST", "/api/v1/security-of-interest/AE",
                    "{\"packages\":[{\"package_name\":\"job_full\",\"reference_ids\":[1]}]}");
            HttpResponse<String> status = send(operator, "GET", "/local/status", null);

            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(JSON.readTree(refused.body()).get("type").asString()).isEqualTo("urn:soi:problem:queue-unavailable");
            assertThat(queue.approximateDepth()).as("nothing was accepted").isEqualTo(queued);
            JsonNode problems = JSON.readTree(status.body()).get("problems");
            assertThat(problems.size()).isEqualTo(1);
            assertThat(problems.get(0).asString()).startsWith("the submission queue cannot be used: the local queue cannot persist "
                    + "messages in " + localHome.queue() + ": no space left on the device holding it (4096 bytes free");
            RunSummary run = commands.run();
            assertThat(run.outcome()).isEqualTo(RunSummary.Outcome.FAILED);
            assertThat(run.failure()).contains("no space left on the device holding it").contains(localHome.queue().toString());
        } finally {
            disk.full = false;
        }
        assertThat(commands.run().outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
    }

    /**
     * A damaged latest file: the API's GETs still answer from the read model (the data exists, so never "not found" or an
     * empty page), a reader of the latest table itself gets the file's error instead of an empty table, and the next run
     * fails naming the repair.
     */
    @Test
    void aDamagedLatestFileFailsItsReadersLoudlyWhileTheApiAnswersFromTheReadModel() throws Exception {
        assertThat(send("POST", "/api/v1/security-of-interest/AE",
                "{\"packages\":[{\"package_name\":\"p8_2\",\"reference_ids\":[1,2]}]}").statusCode()).isEqualTo(202);
        RunSummary published = commands.run();
        java.nio.file.Path file = localHome.data().resolve(dev.soi.core.domain.LatestLayout.latestUnitPrefix(published.runId(),
                BusinessUnit.of("AE"))).resolve("data.parquet");
        byte[] whole = java.nio.file.Files.readAllBytes(file);
        java.nio.file.Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        try {
            HttpResponse<String> one = send("GET", "/api/v1/security-of-interest/AE/packages/p8_2", null);
            HttpResponse<String> page = send("GET", "/api/v1/security-of-interest/AE/packages", null);

            assertThat(one.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(one.body()).get("reference_ids").toString()).isEqualTo("[1,2]");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("\"p8_2\"");
            assertThatThrownBy(() -> engine.query(statements.latestPackage(BusinessUnit.of("AE"), PackageName.of("p8_2"))))
                    .as("a reader of the damaged latest table").isInstanceOf(QueryFailedException.class);
            RunSummary next = commands.run();
            assertThat(next.outcome()).isEqualTo(RunSummary.Outcome.FAILED);
            assertThat(next.failure()).contains("latest version " + published.runId()).contains("rebuild-latest --full");
            assertThat(JSON.readTree(send(operator, "GET", "/local/status", null).body()).get("needs_operator").asBoolean()).isTrue();
        } finally {
            assertThat(commands.rebuildLatest(true).outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        }
        assertThat(send("GET", "/api/v1/security-of-interest/AE/packages/p8_2", null).statusCode()).isEqualTo(200);
    }
}
