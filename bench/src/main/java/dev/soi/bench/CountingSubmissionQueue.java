package dev.soi.bench;

import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the SQS API calls the SQS adapter makes for each port call (batch operations take 10 entries per call),
 * so the benchmark can report calls per 10,000 messages. Delegates everything.
 */
final class CountingSubmissionQueue implements SubmissionQueue {
    private final SubmissionQueue delegate;
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    CountingSubmissionQueue(SubmissionQueue delegate) {
        this.delegate = delegate;
    }

    Map<String, Long> calls() {
        Map<String, Long> copy = new TreeMap<>();
        calls.forEach((name, count) -> copy.put(name, count.get()));
        return copy;
    }

    void reset() {
        calls.clear();
    }

    private void count(String operation, long n) {
        if (n > 0) {
            calls.computeIfAbsent(operation, k -> new AtomicLong()).addAndGet(n);
        }
    }

    private static long batches(int entries) {
        return (entries + 9) / 10;
    }

    @Override
    public void enqueue(List<QueueMessage> messages) {
        count("SendMessageBatch", batches(messages.size()));
        delegate.enqueue(messages);
    }

    @Override
    public List<ReceivedMessage> receive(int max, Duration visibilityTimeout, Duration wait) {
        count("ReceiveMessage", 1);
        return delegate.receive(max, visibilityTimeout, wait);
    }

    @Override
    public void delete(Collection<ReceivedMessage> messages) {
        count("DeleteMessageBatch", batches(messages.size()));
        delegate.delete(messages);
    }

    @Override
    public void changeVisibility(Collection<ReceivedMessage> messages, Duration timeout) {
        count("ChangeMessageVisibilityBatch", batches(messages.size()));
        delegate.changeVisibility(messages, timeout);
    }

    @Override
    public void deadLetter(ReceivedMessage message, String reason) {
        count("SendMessage", 1);
        count("DeleteMessageBatch", 1);
        delegate.deadLetter(message, reason);
    }

    @Override
    public SubmissionQueue deadLetterQueue() {
        return delegate.deadLetterQueue();
    }

    @Override
    public long approximateDepth() {
        count("GetQueueAttributes", 1);
        return delegate.approximateDepth();
    }

    @Override
    public long approximateInFlight() {
        count("GetQueueAttributes", 1);
        return delegate.approximateInFlight();
    }

    @Override
    public int maxMessageBytes() {
        return delegate.maxMessageBytes();
    }
}
