package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.api.fakes.RecordingObjectStore;
import dev.soi.api.fakes.RecordingSubmissionQueue;
import dev.soi.api.security.LocalTokens;
import dev.soi.core.domain.SubmissionId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's edges over a real socket, with requests written byte for byte (as {@code curl --path-as-is}
 * sends them), so Tomcat's own parsing, Spring Security's firewall and Spring MVC's defaults are all in
 * the path: every answer must be an RFC 9457 problem of ours.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "soi.api.auth.secret=" + ApiTestSupport.SECRET,
        "soi.api.limits.max-body=64KB"})
@Import({TestPorts.class, TestTime.class})
class EdgeHttpTest {
    private static final String AE = "/api/v1/security-of-interest/AE";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BODY = "{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[123,456]}]}";

    @LocalServerPort
    int port;
    @Autowired
    RecordingSubmissionQueue queue;
    @Autowired
    RecordingObjectStore store;

    private final String token = LocalTokens.mint(ApiTestSupport.SECRET, "alice", List.of("AE"), Duration.ofMinutes(5));

    @BeforeEach
    void reset() {
        queue.reset();
        store.clear();
        new dev.soi.api.fakes.ReadModelSeed(store).published();
    }

    /** A response read off the socket: status, headers (names lower-case) and body. */
    record Raw(int status, Map<String, String> headers, String body) {
        JsonNode problem() {
            assertThat(headers.get("content-type")).as("content type of %s", body).startsWith("application/problem+json");
            JsonNode node = JSON.readTree(body);
            assertThat(node.get("status").asInt()).isEqualTo(status);
            assertThat(node.get("type").asString()).startsWith("urn:soi:problem:");
            assertThat(node.get("title").asString()).isNotBlank();
            return node;
        }
    }

    private Raw send(String method, String target, Map<String, String> headers, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return parse(socket.getInputStream().readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Raw parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, split).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(split + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Raw(status, headers, body);
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }

    private Raw get(String target) {
        return send("GET", target, Map.of("Authorization", "Bearer " + token), null);
    }

    private Raw post(Map<String, String> headers, byte[] body) {
        Map<String, String> all = new LinkedHashMap<>(Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"));
        all.putAll(headers);
        return send("POST", AE, all, body);
    }

    @Nested
    class EveryErrorIsAProblem {
        @ParameterizedTest
        @ValueSource(strings = {AE + "%2F..", AE + "%00", AE + ";x=1", AE + "//", AE + "/../CMF", AE + "/%2e%2e/CMF"})
        void pathsTomcatOrTheFirewallRefuseAreProblems(String target) {
            Raw response = get(target);

            assertThat(response.status()).isEqualTo(400);
            JsonNode problem = response.problem();
            assertThat(problem.get("type").asString()).isEqualTo("urn:soi:problem:bad-request");
            assertThat(response.body()).doesNotContain("Tomcat", "<html", "timestamp");
        }

        @Test
        void aTrailingSlashOrAnUnknownPathIsANotFoundProblemWithAType() {
            for (String target : List.of(AE + "/", "/nothing-here", "/api/v1/nothing")) {
                Raw response = get(target);

                assertThat(response.status()).as(target).isEqualTo(404);
                assertThat(response.problem().get("type").asString()).isEqualTo("urn:soi:problem:not-found");
                assertThat(response.body()).doesNotContain("static resource");
            }
        }

        @Test
        void anIdempotencyKeyOfTenThousandCharactersIsAProblem() {
            Raw response = post(Map.of("Idempotency-Key", "k".repeat(10_000)), BODY.getBytes(StandardCharsets.UTF_8));

            // Tomcat refuses headers over server.max-http-request-header-size (8 KB) before any filter runs.
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.problem().get("detail").asString()).contains("Idempotency-Key is at most 255 characters");
            assertThat(queue.sent()).isEmpty();
        }

        @Test
        void anUnexpectedFailureIsA500WithACorrelationIdAndNoInternals() {
            store.broken(new UncheckedIOException("cannot read the local store /secret/place/data",
                    new IOException("Permission denied")));

            Raw response = get(AE + "/packages/job_1");

            assertThat(response.status()).isEqualTo(500);
            JsonNode problem = response.problem();
            assertThat(problem.get("type").asString()).isEqualTo("urn:soi:problem:internal-error");
            assertThat(problem.get("correlation_id").asString()).matches("[0-9a-f-]{36}");
            assertThat(problem.get("detail").asString()).contains(problem.get("correlation_id").asString());
            assertThat(response.body()).doesNotContain("/secret", "Permission", "Exception", "store");
        }
    }

    @Nested
    class ContentEncoding {
        @Test
        void aGzipBodyIsDecodedAndAccepted() {
            Raw response = post(Map.of("Content-Encoding", "gzip"), gzip(BODY.getBytes(StandardCharsets.UTF_8)));

            assertThat(response.status()).as(response.body()).isEqualTo(202);
            assertThat(queue.sent()).hasSize(1);
        }

        @Test
        void aGzipBombIsRefusedByItsDecodedSize() {
            byte[] decoded = (BODY.substring(0, BODY.length() - 1) + " ".repeat(10 * 1024 * 1024) + "}").getBytes(StandardCharsets.UTF_8);
            byte[] bomb = gzip(decoded);
            assertThat(bomb.length).isLessThan(64 * 1024);  // passes the Content-Length check: only decoding can tell

            Raw response = post(Map.of("Content-Encoding", "gzip"), bomb);

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.problem().get("detail").asString()).contains("limited to 65536 bytes").contains("while being read");
            assertThat(queue.sent()).isEmpty();
        }

        @Test
        void aBodyThatIsNotGzipIsA400() {
            Raw response = post(Map.of("Content-Encoding", "gzip"), BODY.getBytes(StandardCharsets.UTF_8));

            assertThat(response.status()).isEqualTo(400);
            assertThat(response.problem().get("type").asString()).isEqualTo("urn:soi:problem:invalid-content-encoding");
            assertThat(queue.sent()).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"br", "deflate", "zstd", "gzip, br", "compress"})
        void anEncodingNotDecodedIs415(String encoding) {
            Raw response = post(Map.of("Content-Encoding", encoding), BODY.getBytes(StandardCharsets.UTF_8));

            assertThat(response.status()).isEqualTo(415);
            assertThat(response.problem().get("type").asString()).isEqualTo("urn:soi:problem:unsupported-content-encoding");
            assertThat(response.headers().get("accept-encoding")).isEqualTo("gzip");
            assertThat(queue.sent()).isEmpty();
        }

        @Test
        void identityIsAPlainBody() {
            assertThat(post(Map.of("Content-Encoding", "identity"), BODY.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(202);
        }
    }

    @Nested
    class LocalTokenChecks {
        private Raw postWith(String jwt) {
            return send("POST", AE, Map.of("Authorization", "Bearer " + jwt, "Content-Type", "application/json"),
                    BODY.getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void aTokenWithoutExpIs401() {
            Raw response = postWith(hs256("{\"sub\":\"alice\",\"business_units\":[\"AE\"]}"));

            assertThat(response.status()).isEqualTo(401);
            assertThat(response.problem().get("detail").asString()).contains("exp");
            assertThat(queue.sent()).isEmpty();
        }

        @Test
        void aTokenLivingLongerThanTheCapIs401() {
            long now = Instant.now().getEpochSecond();
            Raw response = postWith(hs256("{\"sub\":\"alice\",\"business_units\":[\"AE\"],\"iat\":" + now + ",\"exp\":" + (now + 25 * 3600) + "}"));

            assertThat(response.status()).isEqualTo(401);
            assertThat(response.problem().get("detail").asString()).contains("soi.api.auth.max-token-lifetime");
        }

        @Test
        void aTokenWithinTheCapIsAccepted() {
            long now = Instant.now().getEpochSecond();
            assertThat(postWith(hs256("{\"sub\":\"alice\",\"business_units\":[\"AE\"],\"iat\":" + now + ",\"exp\":" + (now + 23 * 3600) + "}"))
                    .status()).isEqualTo(202);
        }

        @ParameterizedTest
        @ValueSource(strings = {"ali\\nce", "ali\\u0000ce", "tab\\there", "bell\\u0007"})
        void aPrincipalWithAControlCharacterIs401(String escapedName) {
            long now = Instant.now().getEpochSecond();
            Raw response = postWith(hs256("{\"sub\":\"" + escapedName + "\",\"business_units\":[\"AE\"],\"exp\":" + (now + 600) + "}"));

            assertThat(response.status()).isEqualTo(401);
            assertThat(response.problem().get("detail").asString()).contains("control character");
            assertThat(queue.sent()).isEmpty();
        }

        @Test
        void aPrincipalOver256CharactersIs401() {
            long now = Instant.now().getEpochSecond();
            Raw response = postWith(hs256("{\"sub\":\"" + "a".repeat(257) + "\",\"business_units\":[\"AE\"],\"exp\":" + (now + 600) + "}"));

            assertThat(response.status()).isEqualTo(401);
            assertThat(response.problem().get("detail").asString()).contains("256");
        }

        private static String hs256(String claims) {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String signingInput = b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                    + "." + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(ApiTestSupport.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Nested
    class OperationalEndpoints {
        @Test
        void healthProbesAreOpenToAnyone() {
            assertThat(send("GET", "/actuator/health/liveness", Map.of(), null).status()).isEqualTo(200);
            assertThat(send("GET", "/actuator/health/readiness", Map.of(), null).status()).isEqualTo(200);
        }

        @Test
        void aUnitTokenCannotReadMetricsOrOtherActuatorEndpoints() {
            for (String target : List.of("/actuator/metrics", "/actuator/metrics/soi.api.rejects", "/actuator", "/actuator/info",
                    "/actuator/env", "/actuator/health")) {
                Raw response = get(target);

                assertThat(response.status()).as(target).isEqualTo(403);
                assertThat(response.problem().get("type").asString()).isEqualTo("urn:soi:problem:access-denied");
            }
        }

        @Test
        void anOperatorTokenReadsMetrics() {
            String operator = LocalTokens.mint(ApiTestSupport.SECRET, "ops", List.of(dev.soi.api.ApiProperties.Auth.DEFAULT_OPERATOR_GROUP),
                    Duration.ofMinutes(5));

            Raw response = send("GET", "/actuator/metrics", Map.of("Authorization", "Bearer " + operator), null);

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).contains("soi.api");
        }

        @Test
        void metricsWithoutATokenAre401() {
            assertThat(send("GET", "/actuator/metrics", Map.of(), null).status()).isEqualTo(401);
        }
    }

    @Nested
    class SubmissionIds {
        @Test
        void anUpperCaseIdIs404AsTheReadmeSaysTheLowerCaseOneIsFound() {
            SubmissionId id = SubmissionId.generate(TestPorts.START.minusSeconds(60), new java.util.Random(7));

            Raw upper = get(AE + "/submissions/" + id.toString().toUpperCase(Locale.ROOT));
            Raw canonical = get(AE + "/submissions/" + id);

            assertThat(upper.status()).isEqualTo(404);
            assertThat(upper.problem().get("detail").asString()).endsWith("the API issues canonical lower-case UUIDv7 ids");
            assertThat(canonical.status()).isEqualTo(200);
            assertThat(JSON.readTree(canonical.body()).get("submission_id").asString()).isEqualTo(id.toString());
        }

        @ParameterizedTest
        @ValueSource(strings = {"1-2-3-4-5", "%7B0190f2a4-5b6c-7d8e-9f01-23456789abcd%7D", "0190f2a45b6c7d8e9f0123456789abcd", "not-an-id"})
        void anIdThatIsNotAUuidInItsStandardFormIs404(String text) {
            Raw response = get(AE + "/submissions/" + text);

            assertThat(response.status()).isEqualTo(404);
            assertThat(response.problem().get("type").asString()).isEqualTo("urn:soi:problem:submission-not-found");
        }
    }

    @Nested
    class BareArrayBody {
        @Test
        void aBareArrayGetsA400ThatSaysHowToWrapIt() {
            Raw response = post(Map.of(), "[{\"package_name\":\"job_1\",\"reference_ids\":[123,456]}]".getBytes(StandardCharsets.UTF_8));

            assertThat(response.status()).isEqualTo(400);
            JsonNode problem = response.problem();
            assertThat(problem.get("type").asString()).isEqualTo("urn:soi:problem:invalid-body");
            assertThat(problem.get("errors").get(0).get("detail").asString())
                    .isEqualTo("body is a bare array; wrap it in an object: {\"packages\": [ …your array… ]}");
            assertThat(queue.sent()).isEmpty();
        }
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
