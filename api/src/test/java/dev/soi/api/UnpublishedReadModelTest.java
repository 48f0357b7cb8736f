package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.soi.core.domain.SubmissionId;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MvcResult;

/**
 * Before the batch first published the read model, nothing may be called missing: every GET that finds no object is 503
 * with the configured Retry-After, and once the marker appears the same requests answer 404, QUEUED and an empty page.
 * A context of its own: the API remembers, once seen, that the read model is published.
 */
@TestPropertySource(properties = "soi.api.retry-after=7s")
class UnpublishedReadModelTest extends ApiTestSupport {
    private static final String S1 = SubmissionId.generate(Instant.parse("2026-11-22T10:00:00Z"), new Random(1)).toString();

    @Test
    void beforeTheFirstPublicationNothingIsCalledMissingThenItIs() throws Exception {
        String detail = "the read model has not been published yet: the batch publishes it at bootstrap and with each run; retry later";
        List<String> paths = List.of("/packages/job_1", "/packages", "/submissions/" + S1);
        for (String path : paths) {
            MvcResult result = mvc.perform(get(AE + path).header("Authorization", token("alice", "AE"))).andReturn();
            assertProblem(result, 503, "query-failed", "Read model is unavailable", detail, AE + path);
            assertThat(result.getResponse().getHeader("Retry-After")).isEqualTo("7");
        }

        readModel.published();

        List<Integer> statuses = new java.util.ArrayList<>();
        for (String path : paths) {
            statuses.add(mvc.perform(get(AE + path).header("Authorization", token("alice", "AE"))).andReturn().getResponse().getStatus());
        }
        assertThat(statuses).containsExactly(404, 200, 200);
        assertThat(engine.statements()).isEmpty();
    }
}
