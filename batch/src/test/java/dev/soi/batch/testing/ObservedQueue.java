package dev.soi.batch.testing;

import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A fixture's real queue with the drain's receives written down (wait asked for, messages returned), and two ways
 * to play SQS's part: a receive that does not wait may answer empty while messages are visible (SQS samples its
 * servers), and a message may arrive just as the drain decides the queue is empty. Thread-safe.
 */
public final class ObservedQueue implements SubmissionQueue {
    /** One receive: the wait asked for (waited) and how many messages came back. */
    public record Receive(Duration waited, int returned) {}

    private final SubmissionQueue queue;
    private final List<Receive> receives = new ArrayList<>();
    private int sampledMisses;
    private List<QueueMessage> arriveWhenEmpty = List.of();

    public ObservedQueue(SubmissionQueue queue) {
        this.queue = queue;
    }

    /** The next {@code count} receives that do not wait answer empty, as SQS's sampled receive can. */
    public synchronized ObservedQueue missingNextShortReceives(int count) {
        this.sampledMisses = count;
        return this;
    }

    /** {@code messages} are sent right after the first depth check that finds the queue empty. */
    public synchronized ObservedQueue arrivingWhenFoundEmpty(List<QueueMessage> messages) {
        this.arriveWhenEmpty = List.copyOf(messages);
        return this;
    }

    public synchronized List<Receive> receives() {
        return List.copyOf(receives);
    }

    @Override
    public List<ReceivedMessage> receive(int max, Duration visibilityTimeout, Duration wait) {
        synchronized (this) {
            if (wait.isZero() && sampledMisses > 0) {
                sampledMisses--;
                receives.add(new Receive(wait, 0));
                return List.of();
            }
        }
        List<ReceivedMessage> received = queue.receive(max, visibilityTimeout, wait);
        synchronized (this) {
            receives.add(new Receive(wait, received.size()));
        }
        return received;
    }

    @Override
    public long approximateDepth() {
        long depth = queue.approximateDepth();
        List<QueueMessage> arriving;
        synchronized (this) {
            arriving = depth == 0 ? arriveWhenEmpty : List.of();
            if (depth == 0) {
                arriveWhenEmpty = List.of();
            }
        }
        if (!arriving.isEmpty()) {
            queue.enqueue(arriving);
        }
        return depth;
    }

    @Override
    public void enqueue(List<QueueMessage> messages) {
        queue.enqueue(messages);
    }

    @Override
    public void delete(Collection<ReceivedMessage> messages) {
        queue.delete(messages);
    }

    @Override
    public void changeVisibility(Collection<ReceivedMessage> messages, Duration timeout) {
        queue.changeVisibility(messages, timeout);
    }

    @Override
    public void deadLetter(ReceivedMessage message, String reason) {
        queue.deadLetter(message, reason);
    }

    @Override
    public SubmissionQueue deadLetterQueue() {
        return queue.deadLetterQueue();
    }

    @Override
    public long approximateInFlight() {
        return queue.approximateInFlight();
    }

    @Override
    public int maxMessageBytes() {
        return queue.maxMessageBytes();
    }
}
