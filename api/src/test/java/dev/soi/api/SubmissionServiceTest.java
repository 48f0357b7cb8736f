package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.soi.api.fakes.RecordingSubmissionQueue;
import dev.soi.api.idempotency.IdempotencyEntry;
import dev.soi.api.idempotency.IdempotencyStore;
import dev.soi.api.idempotency.ObjectStoreIdempotencyStore;
import dev.soi.api.web.ApiProblem;
import dev.soi.api.web.ProblemType;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.testing.FaultyObjectStore;
import dev.soi.core.testing.InMemoryObjectStore;
import dev.soi.core.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The in-flight cases of idempotency, made deterministic with a queue that blocks until released. */
class SubmissionServiceTest {
    private static final BusinessUnit AE = BusinessUnit.of("AE");
    private static final List<PackageChange> CHANGES = List.of(PackageChange.set("job_1", 1, 2));

    /** Enqueue blocks until {@link #release} so a second request finds the key pending. */
    static final class GatedQueue extends RecordingSubmissionQueue {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public void enqueue(List<QueueMessage> messages) {
            calls.incrementAndGet();
            entered.countDown();
            try {
                if (!release.await(30, TimeUnit.SECONDS)) {
                    throw new AssertionError("never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            super.enqueue(messages);
        }
    }

    /** Counts claims that found the key pending, so a test knows a replay is really waiting. */
    static final class CountingStore implements IdempotencyStore {
        final IdempotencyStore delegate;
        final AtomicInteger pendingSeen = new AtomicInteger();

        CountingStore(IdempotencyStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<IdempotencyEntry> claim(BusinessUnit unit, String key, IdempotencyEntry entry, Instant now) {
            Optional<IdempotencyEntry> holder = delegate.claim(unit, key, entry, now);
            if (holder.isPresent() && !holder.get().isCompleted()) {
                pendingSeen.incrementAndGet();
            }
            return holder;
        }

        @Override
        public void complete(BusinessUnit unit, String key, IdempotencyEntry entry) {
            delegate.complete(unit, key, entry);
        }

        @Override
        public void forget(BusinessUnit unit, String key, IdempotencyEntry entry) {
            delegate.forget(unit, key, entry);
        }
    }

    private final CountingStore keys = new CountingStore(new ObjectStoreIdempotencyStore(new InMemoryObjectStore()));

    private SubmissionService service(RecordingSubmissionQueue queue, Duration inProgressWait) {
        ApiProperties properties = new ApiProperties(ApiProperties.Limits.defaults(),
                new ApiProperties.Idempotency(Duration.ofHours(24), "object-store", inProgressWait, Duration.ofSeconds(60)),
                ApiProperties.Auth.hs256("x".repeat(32)), Duration.ofSeconds(7));
        InMemoryObjectStore store = new InMemoryObjectStore();
        return new SubmissionService(queue, store, keys, properties,
                new MutableClock(TestTime.START), new Random(7), new ApiMetrics(new SimpleMeterRegistry()));
    }

    /**
     * The key's claim (its conditional create) lands and its answer is lost, whichever way: the request recognises the
     * entry as its own and enqueues once; a replay gets the same 202 and enqueues nothing. A claim that never landed is a
     * 503 that leaves the key free for the client's retry.
     */
    @ParameterizedTest
    @EnumSource(FaultyObjectStore.Fault.class)
    void aKeysClaimWhoseAnswerWasLostStillEnqueuesExactlyOnce(FaultyObjectStore.Fault fault) {
        FaultyObjectStore keyStore = new FaultyObjectStore(new InMemoryObjectStore());
        RecordingSubmissionQueue queue = new RecordingSubmissionQueue();
        ApiProperties properties = new ApiProperties(ApiProperties.Limits.defaults(),
                new ApiProperties.Idempotency(Duration.ofHours(24), "object-store", Duration.ZERO, Duration.ofSeconds(60)),
                ApiProperties.Auth.hs256("x".repeat(32)), Duration.ofSeconds(7));
        SubmissionService service = new SubmissionService(queue, new InMemoryObjectStore(), new ObjectStoreIdempotencyStore(keyStore),
                properties, new MutableClock(TestTime.START), new Random(7), new ApiMetrics(new SimpleMeterRegistry()));
        keyStore.arm(fault, w -> w.operation() == FaultyObjectStore.Operation.PUT_IF_ABSENT);

        if (fault == FaultyObjectStore.Fault.FAILS_BEFORE_WRITE) {
            assertThatThrownBy(() -> service.submit(AE, "alice", CHANGES, "k"))
                    .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.type()).isEqualTo(ProblemType.QUEUE_UNAVAILABLE));
            assertThat(queue.sent()).isEmpty();
        }
        SubmissionService.Accepted first = service.submit(AE, "alice", CHANGES, "k");
        SubmissionService.Accepted replay = service.submit(AE, "alice", CHANGES, "k");

        assertThat(first.replay()).isFalse();
        assertThat(replay.replay()).isTrue();
        assertThat(replay.submissionId()).isEqualTo(first.submissionId());
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void aReplayWhileTheFirstIsInFlightWaitsAndGetsTheFirstResponse() throws Exception {
        GatedQueue queue = new GatedQueue();
        SubmissionService service = service(queue, Duration.ofSeconds(30));

        CompletableFuture<SubmissionService.Accepted> first = CompletableFuture.supplyAsync(() -> service.submit(AE, "alice", CHANGES, "k"));
        assertThat(queue.entered.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<SubmissionService.Accepted> replay = CompletableFuture.supplyAsync(() -> service.submit(AE, "alice", CHANGES, "k"));
        await().atMost(Duration.ofSeconds(10)).until(() -> keys.pendingSeen.get() > 0);
        assertThat(replay.isDone()).isFalse();
        queue.release.countDown();

        SubmissionService.Accepted a = first.get(30, TimeUnit.SECONDS);
        SubmissionService.Accepted b = replay.get(30, TimeUnit.SECONDS);
        assertThat(a.replay()).isFalse();
        assertThat(b.replay()).isTrue();
        assertThat(b.submissionId()).isEqualTo(a.submissionId());
        assertThat(new String(b.body())).isEqualTo(new String(a.body()));
        assertThat(queue.calls.get()).isEqualTo(1);
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void aReplayThatWaitedTooLongIs409WithRetryAfter() throws Exception {
        GatedQueue queue = new GatedQueue();
        SubmissionService service = service(queue, Duration.ZERO);
        CompletableFuture<SubmissionService.Accepted> first = CompletableFuture.supplyAsync(() -> service.submit(AE, "alice", CHANGES, "k"));
        assertThat(queue.entered.await(30, TimeUnit.SECONDS)).isTrue();
        try {
            assertThatThrownBy(() -> service.submit(AE, "alice", CHANGES, "k"))
                    .isInstanceOfSatisfying(ApiProblem.class, p -> {
                        assertThat(p.type()).isEqualTo(ProblemType.IDEMPOTENCY_KEY_IN_PROGRESS);
                        assertThat(p.headers()).isEqualTo(Map.of("Retry-After", "7"));
                    });
            assertThatThrownBy(() -> service.submit(AE, "alice", List.of(PackageChange.set("job_1", 1)), "k"))
                    .isInstanceOfSatisfying(ApiProblem.class, p -> assertThat(p.type()).isEqualTo(ProblemType.IDEMPOTENCY_KEY_REUSED));
        } finally {
            queue.release.countDown();
        }
        assertThat(first.get(30, TimeUnit.SECONDS).replay()).isFalse();
        assertThat(queue.calls.get()).isEqualTo(1);
    }

    @Test
    void theFingerprintIgnoresOrderAndDuplicatesButNotTheUnit() {
        String a = SubmissionService.fingerprint(AE, List.of(PackageChange.set("b", 2, 1, 1), PackageChange.set("a", 3)));
        String b = SubmissionService.fingerprint(AE, List.of(PackageChange.set("a", 3), PackageChange.set("b", 1, 2)));
        assertThat(a).isEqualTo(b);
        assertThat(SubmissionService.fingerprint(BusinessUnit.of("CMF"), List.of(PackageChange.set("a", 3), PackageChange.set("b", 1, 2)))).isNotEqualTo(a);
        assertThat(SubmissionService.fingerprint(AE, List.of(PackageChange.set("a", 3)))).isNotEqualTo(a);
    }
}
