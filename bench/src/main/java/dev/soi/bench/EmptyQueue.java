package dev.soi.bench;

import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/** What the compaction benchmark drains: nothing. A queue that is always empty and sends nothing. */
final class EmptyQueue implements SubmissionQueue {
    @Override
    public void enqueue(List<QueueMessage> messages) {
        throw new UnsupportedOperationException("the compaction benchmark sends nothing");
    }

    @Override
    public List<ReceivedMessage> receive(int max, Duration visibilityTimeout, Duration wait) {
        return List.of();
    }

    @Override
    public void delete(Collection<ReceivedMessage> messages) {}

    @Override
    public void changeVisibility(Collection<ReceivedMessage> messages, Duration timeout) {}

    @Override
    public SubmissionQueue deadLetterQueue() {
        return this;
    }

    @Override
    public long approximateInFlight() {
        return 0;
    }

    @Override
    public void deadLetter(ReceivedMessage message, String reason) {}

    @Override
    public long approximateDepth() {
        return 0;
    }

    @Override
    public int maxMessageBytes() {
        return 262_144;
    }
}
