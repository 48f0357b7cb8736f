package dev.soi.batch.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.testing.InMemoryBatchFixture;
import dev.soi.core.domain.RunId;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.Lease;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.SubmissionQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The heartbeat over the in-memory ports, with a queue whose visibility extension hangs until the test lets it go. */
class HeartbeatTest {
    private final InMemoryBatchFixture fixture = new InMemoryBatchFixture(Instant.parse("2026-11-23T03:00:00Z"));
    private final CountDownLatch extending = new CountDownLatch(1);
    private final CountDownLatch letGo = new CountDownLatch(1);
    private final AtomicInteger renewals = new AtomicInteger();

    @Test
    void theLeaseIsRenewedWhileAVisibilityExtensionOfManyMessagesIsStillRunning() throws Exception {
        // Shortest beat the settings allow: renew every 100 ms, a 3 s lease, 1 s visibility.
        BatchProperties properties = BatchProperties.builder().visibilityTimeout(Duration.ofSeconds(1)).leaseTtl(Duration.ofSeconds(3))
                .heartbeat(Duration.ofMillis(100)).build();
        RunLease lease = countingRenewals(fixture.lease());
        BatchPorts ports = new BatchPorts(fixture.store(), slowToExtend(fixture.queue()), fixture.engine(), fixture.events(), lease,
                fixture.statements(), new SubmissionMessages(fixture.store()), fixture.clock(),
                () -> RunId.generate(fixture.clock().instant(), () -> 1L), properties, FaultInjector.NONE);
        RunContext run = new RunContext(Command.RUN, new RunId("20261123t030000z-00000001"), fixture.clock().instant(), System.nanoTime(),
                RunContext.Parameters.NONE, new ManifestJournal(fixture.store(), fixture.clock()));
        Claims claims = Claims.of(ports, run);
        assertThat(claims.lease().acquire()).isTrue();
        // Received 2 s ago with a 1 s visibility: due at the first beat.
        claims.messages().received(List.of(new ReceivedMessage("m-1", "receipt-1", "", Map.of(), 1)), Duration.ofSeconds(1),
                System.nanoTime() - Duration.ofSeconds(2).toNanos());

        try (Heartbeat heartbeat = claims.heartbeat()) {
            heartbeat.start();
            extending.await();
            int renewedBefore = renewals.get();
            // The extension has not returned; the lease must still be renewed beat after beat meanwhile.
            await().atMost(Duration.ofSeconds(20)).until(() -> renewals.get() >= renewedBefore + 3);
            assertThat(letGo.getCount()).as("the extension is still running").isEqualTo(1);
        } finally {
            letGo.countDown();
        }
    }

    private RunLease countingRenewals(RunLease delegate) {
        return new RunLease() {
            @Override
            public Optional<Lease> tryAcquire(String holder, Duration ttl) {
                return delegate.tryAcquire(holder, ttl);
            }

            @Override
            public Lease renew(Lease held, Duration ttl) {
                Lease renewed = delegate.renew(held, ttl);
                renewals.incrementAndGet();
                return renewed;
            }

            @Override
            public void checkHeld(Lease held) {
                delegate.checkHeld(held);
            }

            @Override
            public void release(Lease held) {
                delegate.release(held);
            }

            @Override
            public Optional<Lease> current() {
                return delegate.current();
            }
        };
    }

    /** A queue whose visibility extension takes until {@link #letGo}, as 10,000 extension calls would. */
    private SubmissionQueue slowToExtend(SubmissionQueue delegate) {
        return new SubmissionQueue() {
            @Override
            public void enqueue(List<QueueMessage> messages) {
                delegate.enqueue(messages);
            }

            @Override
            public List<ReceivedMessage> receive(int max, Duration visibilityTimeout, Duration wait) {
                return delegate.receive(max, visibilityTimeout, wait);
            }

            @Override
            public void delete(Collection<ReceivedMessage> messages) {
                delegate.delete(messages);
            }

            @Override
            public void changeVisibility(Collection<ReceivedMessage> messages, Duration timeout) {
                extending.countDown();
                try {
                    letGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void deadLetter(ReceivedMessage message, String reason) {
                delegate.deadLetter(message, reason);
            }

            @Override
            public SubmissionQueue deadLetterQueue() {
                return delegate.deadLetterQueue();
            }

            @Override
            public long approximateDepth() {
                return delegate.approximateDepth();
            }

            @Override
            public long approximateInFlight() {
                return delegate.approximateInFlight();
            }

            @Override
            public int maxMessageBytes() {
                return delegate.maxMessageBytes();
            }
        };
    }
}
