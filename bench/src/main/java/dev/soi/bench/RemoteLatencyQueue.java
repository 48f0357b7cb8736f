package dev.soi.bench;

import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * A queue as far away as SQS is from a Lambda: every SQS API call the adapter would make for a port call (batch
 * operations take 10 entries a call, one after another) first waits one round trip, then delegates. The in-process
 * ElasticMQ answers in well under a millisecond, so without this a benchmark cannot tell what overlapping queue calls
 * with other work is worth against the real service.
 */
final class RemoteLatencyQueue implements SubmissionQueue {
    private final SubmissionQueue delegate;
    private final long roundTripNanos;

    RemoteLatencyQueue(SubmissionQueue delegate, Duration roundTrip) {
        this.delegate = delegate;
        this.roundTripNanos = roundTrip.toNanos();
    }

    private void travel(long calls) {
        long until = System.nanoTime() + calls * roundTripNanos;
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private static long batches(int entries) {
        return Math.max(1, (entries + 9) / 10);
    }

    @Override
    public void enqueue(List<QueueMessage> messages) {
        travel(batches(messages.size()));
        delegate.enqueue(messages);
    }

    @Override
    public List<ReceivedMessage> receive(int max, Duration visibilityTimeout, Duration wait) {
        travel(1);
        return delegate.receive(max, visibilityTimeout, wait);
    }

    @Override
    public void delete(Collection<ReceivedMessage> messages) {
        if (!messages.isEmpty()) {
            travel(batches(messages.size()));
        }
        delegate.delete(messages);
    }

    @Override
    public void changeVisibility(Collection<ReceivedMessage> messages, Duration timeout) {
        if (!messages.isEmpty()) {
            travel(batches(messages.size()));
        }
        delegate.changeVisibility(messages, timeout);
    }

    @Override
    public void deadLetter(ReceivedMessage message, String reason) {
        travel(2);
        delegate.deadLetter(message, reason);
    }

    @Override
    public SubmissionQueue deadLetterQueue() {
        return new RemoteLatencyQueue(delegate.deadLetterQueue(), Duration.ofNanos(roundTripNanos));
    }

    @Override
    public long approximateDepth() {
        travel(1);
        return delegate.approximateDepth();
    }

    @Override
    public long approximateInFlight() {
        travel(1);
        return delegate.approximateInFlight();
    }

    @Override
    public int maxMessageBytes() {
        return delegate.maxMessageBytes();
    }
}
