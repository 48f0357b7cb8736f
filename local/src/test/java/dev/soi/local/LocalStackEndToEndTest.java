package dev.soi.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.api.security.LocalTokens;
import dev.soi.batch.BatchCommands;
import dev.soi.batch.ops.RunSummary;
import dev.soi.core.port.QueryEngine;
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
 * the data folder → DuckDB → HTTP API.
 */
@SpringBootTest(classes = LocalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LocalStackEndToEndTest {
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
    QueryEngine engine;
    @Autowired
    TableStatements statements;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String token = LocalTokens.mint(SECRET, "alice", List.of("AE"), Duration.ofHours(1));

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token);
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

        List<List<Object>> pit = engine.query(new dev.soi.core.sql.SqlTemplates().render("testing/count_pit",
                java.util.Map.of("database", dev.soi.core.sql.SqlToken.identifier(statements.database())))).rows();
        assertThat(pit).containsExactly(List.of(3L));
    }

    @Test
    void bootstrapEndpointIsIdempotent() throws Exception {
        HttpResponse<String> response = send("POST", "/local/bootstrap", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("command").asString()).isEqualTo("bootstrap");
        assertThat(JSON.readTree(response.body()).get("outcome").asString()).isEqualTo("COMPLETED");
    }

    @Test
    void runEndpointAnswersWithTheRunSummary() throws Exception {
        HttpResponse<String> response = send("POST", "/local/run", null);
        assertThat(response.statusCode()).isEqualTo(200);
        Map<?, ?> summary = JSON.readValue(response.body(), Map.class);
        assertThat(summary.get("outcome")).isEqualTo("COMPLETED");
    }
}
