package dev.soi.core.port;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The queue between the API and the batch (SQS standard queue with a dead-letter queue).
 *
 * <p>Delivery is at-least-once and unordered: a message may be received more than once and in any
 * order, so consumers must be idempotent (the batch dedupes by submission id). A received message is
 * invisible to other receivers for the visibility timeout and reappears unless deleted.
 *
 * <p>Implementations are thread-safe. Every batch call checks the per-entry outcome; an entry that fails
 * is retried, and if it still fails the call throws {@link QueueException} naming the entries, so a caller
 * never mistakes a partial send for a full one.
 */
public interface SubmissionQueue {
    /** The attribute {@link #deadLetter} adds to a dead-lettered message: why it can never be applied. */
    String DLQ_REASON_ATTRIBUTE = "soi-dlq-reason";
    /** The attribute {@link #deadLetter} adds to a dead-lettered message: its message id on this queue. */
    String DLQ_SOURCE_ATTRIBUTE = "soi-source-message-id";

    /**
     * Sends all messages, or throws. On a throw some messages may have been sent; callers that need
     * all-or-nothing send one message per accepted submission.
     *
     * @throws QueueException when any entry could not be sent after retries
     */
    void enqueue(List<QueueMessage> messages);

    /**
     * Receives up to {@code max} (1-10) messages, waiting up to {@code wait} for the first (long polling).
     * An empty list means none were available in that time.
     */
    List<ReceivedMessage> receive(int max, Duration visibilityTimeout, Duration wait);

    /** Deletes received messages. Deleting an already deleted message is not an error. */
    void delete(Collection<ReceivedMessage> messages);

    /**
     * Makes received messages visible again after {@code timeout} from now (zero: at once), or keeps them hidden
     * that much longer. A receipt is valid only while its message is hidden: a message already deleted, or
     * received again since, is skipped, not an error. Any number of messages; SQS takes them 10 per call.
     */
    void changeVisibility(Collection<ReceivedMessage> messages, Duration timeout);

    /**
     * Moves a message to the dead-letter queue with a reason attribute, then deletes it from this queue.
     * If the send fails the message stays on this queue (it is never lost).
     */
    void deadLetter(ReceivedMessage message, String reason);

    /**
     * The dead-letter queue, as a queue of its own: receive, delete and change visibility work on it as here. Its
     * messages keep their attributes and carry {@link #DLQ_REASON_ATTRIBUTE} when {@link #deadLetter} moved them
     * (a message SQS moved after too many receives has none). Dead-lettering from it is not supported.
     */
    SubmissionQueue deadLetterQueue();

    /** Approximate number of visible messages, for health checks and progress; may lag. */
    long approximateDepth();

    /** Approximate number of messages received and not yet deleted (hidden, in flight); may lag. */
    long approximateInFlight();

    /** Largest message body in bytes this queue accepts (SQS: 262,144 unless configured otherwise). */
    int maxMessageBytes();
}
