package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.soi.api.idempotency.ObjectStoreIdempotencyStore;
import dev.soi.core.domain.BusinessUnit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

class IdempotencyTest extends ApiTestSupport {
    private static final String BODY = "{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[123,456]}]}";

    private MvcResult submit(String key, String body) throws Exception {
        return mvc.perform(post(AE).header("Authorization", token("alice", "AE")).header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
    }

    @Test
    void aReplayReturnsTheFirstResponseAndQueuesNothing() throws Exception {
        MvcResult first = submit("key-1", BODY);
        clock.advance(Duration.ofMinutes(5));
        MvcResult replay = submit("key-1", BODY);

        assertThat(first.getResponse().getStatus()).isEqualTo(202);
        assertThat(replay.getResponse().getStatus()).isEqualTo(202);
        assertThat(replay.getResponse().getContentAsString()).isEqualTo(first.getResponse().getContentAsString());
        assertThat(replay.getResponse().getHeader("Location")).isEqualTo(first.getResponse().getHeader("Location"));
        assertThat(first.getResponse().getHeader("Idempotent-Replayed")).isEqualTo("false");
        assertThat(replay.getResponse().getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(queue.sent()).hasSize(1);
        assertThat(store.objects()).containsOnlyKeys(ObjectStoreIdempotencyStore.objectKey(BusinessUnit.of("AE"), "key-1"));
    }

    @Test
    void theSameMeaningWrittenDifferentlyIsAReplay() throws Exception {
        MvcResult first = submit("key-1", BODY);
        MvcResult replay = submit("key-1", "{ \"packages\" : [ {\"reference_ids\":[456,123,456], \"package_name\":\"job_1\"} ] }");

        assertThat(replay.getResponse().getStatus()).isEqualTo(202);
        assertThat(replay.getResponse().getContentAsString()).isEqualTo(first.getResponse().getContentAsString());
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void theSameKeyWithADifferentBodyIs422() throws Exception {
        String firstId = json(submit("key-1", BODY)).get("submission_id").asString();

        MvcResult result = submit("key-1", "{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[123]}]}");

        assertProblem(result, 422, "idempotency-key-reused", "Idempotency-Key was used with a different request",
                "Idempotency-Key was first used for submission " + firstId + " with a different request; use a new key for a new request", AE);
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void aKeyIsForgottenAfterItsTtl() throws Exception {
        String firstId = json(submit("key-1", BODY)).get("submission_id").asString();
        clock.advance(Duration.ofHours(24));

        MvcResult later = submit("key-1", BODY);

        assertThat(later.getResponse().getStatus()).isEqualTo(202);
        assertThat(json(later).get("submission_id").asString()).isNotEqualTo(firstId);
        assertThat(queue.sent()).hasSize(2);
    }

    @Test
    void aFailedEnqueueReleasesTheKeySoARetrySucceeds() throws Exception {
        queue.failing(true);
        assertThat(submit("key-1", BODY).getResponse().getStatus()).isEqualTo(503);
        assertThat(store.objects()).isEmpty();

        queue.failing(false);
        MvcResult retry = submit("key-1", BODY);

        assertThat(retry.getResponse().getStatus()).isEqualTo(202);
        assertThat(retry.getResponse().getHeader("Idempotent-Replayed")).isEqualTo("false");
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void keysAreScopedToTheBusinessUnit() throws Exception {
        submit("key-1", BODY);
        MvcResult other = mvc.perform(post("/api/v1/security-of-interest/CMF").header("Authorization", token("bob", "CMF"))
                .header("Idempotency-Key", "key-1").contentType(MediaType.APPLICATION_JSON).content(BODY)).andReturn();

        assertThat(other.getResponse().getStatus()).isEqualTo(202);
        assertThat(queue.sent()).hasSize(2);
    }

    @Test
    void aBadKeyIs400() throws Exception {
        MvcResult result = submit("x".repeat(256), BODY);

        String detail = "Idempotency-Key must be 1-255 printable ASCII characters";
        assertThat(errors(assertProblem(result, 400, "invalid-parameter", "Request parameter is invalid", detail, AE)))
                .containsExactly(java.util.Map.of("parameter", "Idempotency-Key", "detail", detail));
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void concurrentReplaysOfOneKeyQueueExactlyOneMessage() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<MvcResult>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<MvcResult> call = () -> {
                    start.await();
                    return submit("shared-key", BODY);
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            List<String> bodies = new ArrayList<>();
            for (Future<MvcResult> result : results) {
                MvcResult r = result.get();
                assertThat(r.getResponse().getStatus()).isEqualTo(202);
                bodies.add(r.getResponse().getContentAsString());
            }

            assertThat(queue.sent()).hasSize(1);
            assertThat(bodies).hasSize(threads).allMatch(b -> b.equals(bodies.get(0)));
        } finally {
            pool.shutdownNow();
        }
    }
}
