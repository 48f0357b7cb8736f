package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.api.fakes.RecordingSubmissionQueue;
import dev.soi.api.security.LocalTokens;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Over a real socket: chunked bodies carry no Content-Length, so the limit must hold while reading. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "soi.api.auth.secret=" + ApiTestSupport.SECRET,
        "soi.api.limits.max-body=4KB"})
@Import({TestPorts.class, TestTime.class})
class HttpServerTest {
    @LocalServerPort
    int port;
    @Autowired
    RecordingSubmissionQueue queue;

    private final HttpClient client = HttpClient.newHttpClient();
    private final String token = "Bearer " + LocalTokens.mint(ApiTestSupport.SECRET, "alice", List.of("AE"), Duration.ofMinutes(5));

    @BeforeEach
    void reset() {
        queue.reset();
    }

    private HttpResponse<String> postChunked(byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/security-of-interest/AE"))
                .header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        String body = "{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[1]}]}" + " ".repeat(5000);

        HttpResponse<String> response = postChunked(body.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        JsonNode problem = JsonMapper.builder().build().readTree(response.body());
        assertThat(problem.get("detail").asString())
                .isEqualTo("request body is limited to 4096 bytes (soi.api.limits.max-body); the body exceeded it while being read");
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void aChunkedBodyWithinTheLimitIsAccepted() throws Exception {
        HttpResponse<String> response = postChunked("{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[1]}]}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void aDeclaredLengthOverTheLimitIs413() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/security-of-interest/AE"))
                .header("Authorization", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"packages\":[]}" + " ".repeat(8000)))
                .build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("Content-Length is 8015 bytes");
        assertThat(queue.sent()).isEmpty();
    }
}
