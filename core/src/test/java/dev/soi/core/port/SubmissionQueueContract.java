package dev.soi.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SubmissionQueue} must do. A subclass supplies a fresh, empty queue per test and a way
 * to read what reached its dead-letter queue.
 */
public abstract class SubmissionQueueContract {
    private static final Duration LONG = Duration.ofSeconds(30);
    private static final Duration NO_WAIT = Duration.ZERO;

    protected SubmissionQueue queue;

    protected abstract SubmissionQueue newQueue();

    /** Messages now on the dead-letter queue (received and deleted from it). */

    @BeforeEach
    void setUpQueue() {
        queue = newQueue();
    }

    private static QueueMessage message(String body) {
        return new QueueMessage(body, Map.of("soi-business-unit", "AE"));
    }

    /** Receives until {@code count} messages arrived (SQS may return fewer than asked per call). */
    private List<ReceivedMessage> receiveAll(int count, Duration visibility) {
        return receiveAll(queue, count, visibility);
    }

    private static List<ReceivedMessage> receiveAll(SubmissionQueue from, int count, Duration visibility) {
        List<ReceivedMessage> all = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            all.addAll(from.receive(10, visibility, Duration.ofSeconds(1)));
            return all.size() >= count;
        });
        return all;
    }

    @Test
    void enqueuedMessagesArriveWithBodyAndAttributes() {
        queue.enqueue(List.of(new QueueMessage("{\"a\":1}", Map.of("soi-business-unit", "AE", "soi-schema-version", "1"))));
        List<ReceivedMessage> received = receiveAll(1, LONG);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).body()).isEqualTo("{\"a\":1}");
        assertThat(received.get(0).attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("soi-business-unit", "AE", "soi-schema-version", "1"));
        assertThat(received.get(0).receiveCount()).isEqualTo(1);
    }

    @Test
    void manyMessagesArriveCompleteInBatches() {
        List<QueueMessage> messages = IntStream.range(0, 25).mapToObj(i -> message("m" + i)).toList();
        queue.enqueue(messages);
        assertThat(receiveAll(25, LONG)).extracting(ReceivedMessage::body)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 25).mapToObj(i -> "m" + i).toList());
    }

    @Test
    void aReceivedMessageIsInvisibleUntilItsVisibilityChanges() {
        queue.enqueue(List.of(message("one")));
        ReceivedMessage first = receiveAll(1, LONG).get(0);
        assertThat(queue.receive(10, LONG, NO_WAIT)).isEmpty();
        queue.changeVisibility(List.of(first), Duration.ZERO);
        ReceivedMessage again = receiveAll(1, LONG).get(0);
        assertThat(again.messageId()).isEqualTo(first.messageId());
        assertThat(again.receiveCount()).isEqualTo(2);
    }

    @Test
    void visibilityChangesForMoreThanOneBatchAndSkipsDeletedMessages() {
        List<QueueMessage> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sent.add(message("m" + i));
        }
        queue.enqueue(sent);
        List<ReceivedMessage> held = receiveAll(12, LONG);
        queue.delete(List.of(held.get(0)));

        queue.changeVisibility(held, Duration.ZERO);

        List<ReceivedMessage> again = receiveAll(11, LONG);
        assertThat(again).extracting(ReceivedMessage::messageId)
                .containsExactlyInAnyOrderElementsOf(held.subList(1, 12).stream().map(ReceivedMessage::messageId).toList());
        assertThat(queue.receive(10, LONG, NO_WAIT)).isEmpty();
    }

    @Test
    void deletedMessagesDoNotComeBackAndDeletingTwiceIsFine() {
        queue.enqueue(List.of(message("gone")));
        ReceivedMessage received = receiveAll(1, Duration.ofSeconds(1)).get(0);
        queue.delete(List.of(received));
        queue.delete(List.of(received));
        assertThat(queue.receive(10, LONG, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void receiveOnAnEmptyQueueReturnsNothing() {
        assertThat(queue.receive(10, LONG, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void deadLetterMovesTheMessageWithItsReason() {
        queue.enqueue(List.of(message("poison")));
        ReceivedMessage received = receiveAll(1, Duration.ofSeconds(1)).get(0);
        queue.deadLetter(received, "message body is not valid JSON");
        SubmissionQueue deadLetterQueue = queue.deadLetterQueue();
        List<ReceivedMessage> dead = receiveAll(deadLetterQueue, 1, LONG);
        deadLetterQueue.delete(dead);
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).body()).isEqualTo("poison");
        assertThat(dead.get(0).attributes()).containsEntry(SubmissionQueue.DLQ_REASON_ATTRIBUTE, "message body is not valid JSON")
                .containsEntry(SubmissionQueue.DLQ_SOURCE_ATTRIBUTE, received.messageId())
                .containsEntry("soi-business-unit", "AE");
        // Its visibility timeout (1 s) ends within this long poll: were it still queued, it would come back.
        assertThat(queue.receive(10, LONG, Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void aBodyOverTheLimitIsRefusedAndNothingIsSent() {
        String tooLarge = "x".repeat(queue.maxMessageBytes() + 1);
        assertThatThrownBy(() -> queue.enqueue(List.of(message("small"), message(tooLarge))))
                .isInstanceOf(QueueException.class)
                .hasMessageContaining("exceeds the queue limit of " + queue.maxMessageBytes() + " bytes; nothing was sent");
        assertThat(queue.receive(10, LONG, Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void depthCountsVisibleMessagesAndInFlightTheReceivedOnes() {
        queue.enqueue(List.of(message("a"), message("b"), message("c")));
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.approximateDepth() == 3);
        receiveAll(1, LONG);
        await().atMost(Duration.ofSeconds(10)).until(() -> queue.approximateInFlight() >= 1 && queue.approximateDepth() <= 2);
    }
}
