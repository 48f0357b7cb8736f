package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.api.fakes.ReadModelSeed;
import dev.soi.api.fakes.RecordingObjectStore;
import dev.soi.api.fakes.RecordingSubmissionQueue;
import dev.soi.api.security.LocalTokens;
import dev.soi.core.sql.CountingQueryEngine;
import dev.soi.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The API in a Spring context over in-memory ports, driven through MockMvc with real HS256 tokens. */
@SpringBootTest(properties = {
        "soi.api.auth.secret=" + ApiTestSupport.SECRET,
        "soi.business-units=AE,CMF,FX",
        "soi.api.limits.max-body=64KB",
        "soi.api.limits.max-packages-per-submission=5",
        "soi.api.limits.max-ids-per-package=20",
        "soi.api.idempotency.in-progress-wait=10s",
})
@AutoConfigureMockMvc
@Import({TestPorts.class, TestTime.class})
public abstract class ApiTestSupport {
    public static final String SECRET = "test-secret-of-at-least-thirty-two-bytes!";
    protected static final String AE = "/api/v1/security-of-interest/AE";
    protected static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    protected MockMvc mvc;
    @Autowired
    protected RecordingSubmissionQueue queue;
    @Autowired
    protected RecordingObjectStore store;
    @Autowired
    protected CountingQueryEngine engine;
    /** Writes read-model objects into {@link #store} as the batch publishes them. */
    protected ReadModelSeed readModel;
    @Autowired
    protected MutableClock clock;

    @BeforeEach
    void resetFakes() {
        queue.reset();
        store.clear();
        engine.reset();
        readModel = new ReadModelSeed(store);
        clock.set(TestPorts.START);
    }

    protected static String token(String user, String... units) {
        return "Bearer " + LocalTokens.mint(SECRET, user, List.of(units), Duration.ofHours(1));
    }

    protected static JsonNode json(MvcResult result) throws Exception {
        return JSON.readTree(result.getResponse().getContentAsByteArray());
    }

    /** Asserts a problem document field by field, and its media type. */
    protected static JsonNode assertProblem(MvcResult result, int status, String slug, String title, String detail, String instance)
            throws Exception {
        assertThat(result.getResponse().getStatus()).isEqualTo(status);
        assertThat(result.getResponse().getContentType()).isEqualTo("application/problem+json");
        JsonNode problem = json(result);
        assertThat(problem.get("type").asString()).isEqualTo("urn:soi:problem:" + slug);
        assertThat(problem.get("title").asString()).isEqualTo(title);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        if (detail != null) {
            assertThat(problem.get("detail").asString()).isEqualTo(detail);
        }
        assertThat(problem.get("instance").asString()).isEqualTo(instance);
        return problem;
    }

    protected static List<Map<String, String>> errors(JsonNode problem) {
        return problem.get("errors").valueStream()
                .map(e -> {
                    Map<String, String> m = new java.util.LinkedHashMap<>();
                    e.properties().forEach(p -> m.put(p.getKey(), p.getValue().asString()));
                    return m;
                })
                .toList();
    }
}
