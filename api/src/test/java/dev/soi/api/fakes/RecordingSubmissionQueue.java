package dev.soi.api.fakes;

import dev.soi.core.port.QueueException;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Records what the API enqueues; {@link #failing} makes every call throw as an unreachable SQS would. */
public class RecordingSubmissionQueue implements SubmissionQueue {
    private final List<QueueMessage> sent = new ArrayList<>();
    private volatile boolean failing;
    private volatile int maxMessageBytes = 262_144;

    public synchronized List<QueueMessage> sent() {
        return List.copyOf(sent);
    }

    public synchronized void reset() {
        sent.clear();
        failing = false;
        maxMessageBytes = 262_144;
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    public void maxMessageBytes(int bytes) {
        this.maxMessageBytes = bytes;
    }

    @Override
    public void enqueue(List<QueueMessage> messages) {
        check();
        for (QueueMessage message : messages) {
            if (message.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxMessageBytes) {
                throw new QueueException("message of " + message.body().length() + " bytes exceeds " + maxMessageBytes);
            }
        }
        synchronized (this) {
            sent.addAll(messages);
        }
    }

    @Override
    public List<ReceivedMessage> receive(int max, Duration visibilityTimeout, Duration wait) {
        throw new UnsupportedOperationException("the API never receives");
    }

    @Override
    public void delete(Collection<ReceivedMessage> messages) {
        throw new UnsupportedOperationException("the API never deletes");
    }

    @Override
    public long approximateInFlight() {
        return 0;
    }

    @Override
    public SubmissionQueue deadLetterQueue() {
        throw new UnsupportedOperationException("the API never reads the dead-letter queue");
    }

    @Override
    public void changeVisibility(java.util.Collection<ReceivedMessage> messages, Duration timeout) {
        throw new UnsupportedOperationException("the API never changes visibility");
    }

    @Override
    public void deadLetter(ReceivedMessage message, String reason) {
        throw new UnsupportedOperationException("the API never dead-letters");
    }

    @Override
    public synchronized long approximateDepth() {
        check();
        return sent.size();
    }

    @Override
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    private void check() {
        if (failing) {
            throw new QueueException("queue unreachable (test switch)");
        }
    }
}
