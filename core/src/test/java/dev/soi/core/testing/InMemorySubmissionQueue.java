package dev.soi.core.testing;

import dev.soi.core.port.QueueException;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A standard queue in memory with SQS semantics that matter to the batch: visibility timeouts measured on
 * an injected clock, receive counts, a dead-letter queue with the reason and source-message attributes the SQS
 * adapter sets, delete by receipt, the size limit checked before anything is sent. Receives never wait (there is
 * nothing to wait for in memory). {@code InMemorySubmissionQueueTest} runs {@code SubmissionQueueContract} over
 * it. Thread-safe; no static state.
 */
public final class InMemorySubmissionQueue implements SubmissionQueue {
    private static final int MAX_MESSAGE_BYTES = 262_144;

    /** A message moved to the dead-letter queue. */
    public record DeadLetter(String body, Map<String, String> attributes, String reason) {}

    private static final class Message {
        final String id;
        final String body;
        final Map<String, String> attributes;
        Instant visibleAt;
        int receiveCount;

        Message(String id, String body, Map<String, String> attributes, Instant visibleAt) {
            this.id = id;
            this.body = body;
            this.attributes = attributes;
            this.visibleAt = visibleAt;
        }
    }

    private final Clock clock;
    private final Map<String, Message> messages = new LinkedHashMap<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final InMemorySubmissionQueue deadLetterQueue;
    private long nextId;

    public InMemorySubmissionQueue(Clock clock) {
        this.clock = clock;
        this.deadLetterQueue = new InMemorySubmissionQueue(clock, null);
    }

    private InMemorySubmissionQueue(Clock clock, InMemorySubmissionQueue none) {
        this.clock = clock;
        this.deadLetterQueue = none;
    }

    @Override
    public synchronized void enqueue(List<QueueMessage> batch) {
        for (QueueMessage message : batch) {
            int size = message.sizeInBytes();
            if (size > MAX_MESSAGE_BYTES) {
                throw new QueueException("message of " + size + " bytes (body and attributes) exceeds the queue limit of "
                        + MAX_MESSAGE_BYTES + " bytes; nothing was sent");
            }
        }
        for (QueueMessage message : batch) {
            String id = "m" + (++nextId);
            messages.put(id, new Message(id, message.body(), message.attributes(), clock.instant()));
        }
    }

    @Override
    public synchronized List<ReceivedMessage> receive(int max, Duration visibilityTimeout, Duration wait) {
        if (max < 1 || max > 10) {
            throw new IllegalArgumentException("max must be 1-10: " + max);
        }
        Instant now = clock.instant();
        List<ReceivedMessage> received = new ArrayList<>();
        for (Message message : messages.values()) {
            if (received.size() == max) {
                break;
            }
            if (!message.visibleAt.isAfter(now)) {
                message.receiveCount++;
                message.visibleAt = now.plus(visibilityTimeout);
                received.add(new ReceivedMessage(message.id, message.id + "#" + message.receiveCount, message.body,
                        message.attributes, message.receiveCount));
            }
        }
        return received;
    }

    @Override
    public synchronized void delete(Collection<ReceivedMessage> batch) {
        batch.forEach(m -> messages.remove(m.messageId()));
    }

    @Override
    public synchronized void changeVisibility(Collection<ReceivedMessage> batch, Duration timeout) {
        for (ReceivedMessage message : batch) {
            Message current = messages.get(message.messageId());
            // A receipt is valid only for the latest receive of a message still hidden, as in SQS.
            if (current != null && message.receiptHandle().equals(current.id + "#" + current.receiveCount)
                    && current.visibleAt.isAfter(clock.instant())) {
                current.visibleAt = clock.instant().plus(timeout);
            }
        }
    }

    @Override
    public synchronized void deadLetter(ReceivedMessage message, String reason) {
        if (deadLetterQueue == null) {
            throw new UnsupportedOperationException("a dead-letter queue has no dead-letter queue");
        }
        Map<String, String> attributes = new HashMap<>(message.attributes());
        attributes.put(DLQ_REASON_ATTRIBUTE, reason);
        attributes.put(DLQ_SOURCE_ATTRIBUTE, message.messageId());
        deadLetters.add(new DeadLetter(message.body(), Map.copyOf(attributes), reason));
        deadLetterQueue.enqueue(List.of(new QueueMessage(message.body(), attributes)));
        messages.remove(message.messageId());
    }

    @Override
    public SubmissionQueue deadLetterQueue() {
        if (deadLetterQueue == null) {
            throw new UnsupportedOperationException("a dead-letter queue has no dead-letter queue");
        }
        return deadLetterQueue;
    }

    @Override
    public synchronized long approximateDepth() {
        Instant now = clock.instant();
        return messages.values().stream().filter(m -> !m.visibleAt.isAfter(now)).count();
    }

    @Override
    public synchronized long approximateInFlight() {
        Instant now = clock.instant();
        return messages.values().stream().filter(m -> m.visibleAt.isAfter(now)).count();
    }

    @Override
    public int maxMessageBytes() {
        return MAX_MESSAGE_BYTES;
    }

    /** Messages not yet deleted, visible or in flight. */
    public synchronized int size() {
        return messages.size();
    }

    public synchronized List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }
}
