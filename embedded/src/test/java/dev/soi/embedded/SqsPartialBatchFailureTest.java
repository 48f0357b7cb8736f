package dev.soi.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.aws.SqsQueueProperties;
import dev.soi.aws.SqsSubmissionQueue;
import dev.soi.core.port.QueueException;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * SQS reports failures per entry inside a successful batch response. A fault injector in front of the
 * real ElasticMQ client withholds one entry of a batch and reports it failed, as SQS does; the adapter must
 * send again that entry only, so every message arrives exactly once, or throw naming it.
 */
class SqsPartialBatchFailureTest {
    private ElasticMqServer server;

    @BeforeEach
    void start() {
        server = ElasticMqServer.start(ElasticMqServer.Options.inMemory().withQueues("partial", "partial-dlq"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A client whose first {@code failures} batch sends drop their last entry and report it failed. */
    private SqsClient failingLastEntry(int failures, boolean senderFault, List<Integer> batchSizes) {
        SqsClient real = server.client();
        AtomicInteger remaining = new AtomicInteger(failures);
        return (SqsClient) Proxy.newProxyInstance(SqsClient.class.getClassLoader(), new Class<?>[] {SqsClient.class}, (proxy, method, args) -> {
            if (args != null && args.length == 1 && args[0] instanceof java.util.function.Consumer<?>) {
                // the Consumer<Builder> overloads build the request and call the proxy again
                return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (method.getName().equals("sendMessageBatch") && args != null && args[0] instanceof SendMessageBatchRequest request) {
                batchSizes.add(request.entries().size());
                if (remaining.getAndDecrement() > 0) {
                    List<SendMessageBatchRequestEntry> entries = request.entries();
                    SendMessageBatchRequestEntry dropped = entries.get(entries.size() - 1);
                    SendMessageBatchResponse sent = real.sendMessageBatch(request.toBuilder().entries(entries.subList(0, entries.size() - 1)).build());
                    return sent.toBuilder().failed(BatchResultErrorEntry.builder().id(dropped.id())
                            .code(senderFault ? "InvalidParameterValue" : "InternalError").senderFault(senderFault).build()).build();
                }
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private List<String> receiveAll(SqsSubmissionQueue queue) {
        List<String> bodies = new ArrayList<>();
        List<ReceivedMessage> batch;
        do {
            batch = queue.receive(10, Duration.ofMinutes(5), Duration.ofSeconds(1));
            batch.forEach(m -> bodies.add(m.body()));
        } while (!batch.isEmpty());
        return bodies;
    }

    @Test
    void onlyTheFailedEntryIsSentAgainAndEveryMessageArrivesOnce() {
        List<Integer> batchSizes = new ArrayList<>();
        SqsSubmissionQueue queue = new SqsSubmissionQueue(failingLastEntry(1, false, batchSizes), server.queueUrl(), server.dlqUrl(),
                new SqsQueueProperties(3, Duration.ZERO, SqsQueueProperties.SQS_MAX_MESSAGE_BYTES));
        List<QueueMessage> messages = IntStream.range(0, 12).mapToObj(i -> new QueueMessage("m" + i, Map.of())).toList();

        queue.enqueue(messages);

        // batch of 10 (one withheld), the retry of that one entry, then the batch of 2
        assertThat(batchSizes).containsExactly(10, 1, 2);
        assertThat(receiveAll(queue)).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 12).mapToObj(i -> "m" + i).toList());
    }

    @Test
    void aSenderFaultIsNotRetriedAndTheCallNamesTheEntry() {
        List<Integer> batchSizes = new ArrayList<>();
        SqsSubmissionQueue queue = new SqsSubmissionQueue(failingLastEntry(1, true, batchSizes), server.queueUrl(), server.dlqUrl(),
                SqsQueueProperties.defaults());

        assertThatThrownBy(() -> queue.enqueue(List.of(new QueueMessage("a", Map.of()), new QueueMessage("b", Map.of()))))
                .isInstanceOf(QueueException.class)
                .hasMessageContaining("failed for 1 of 2 entries")
                .hasMessageContaining("entry 1: InvalidParameterValue [sender fault]");
        assertThat(batchSizes).containsExactly(2);
    }

    @Test
    void anEntryThatKeepsFailingThrowsAfterTheRetries() {
        List<Integer> batchSizes = new ArrayList<>();
        SqsSubmissionQueue queue = new SqsSubmissionQueue(failingLastEntry(10, false, batchSizes), server.queueUrl(), server.dlqUrl(),
                new SqsQueueProperties(2, Duration.ZERO, SqsQueueProperties.SQS_MAX_MESSAGE_BYTES));

        assertThatThrownBy(() -> queue.enqueue(List.of(new QueueMessage("a", Map.of()), new QueueMessage("b", Map.of()))))
                .isInstanceOf(QueueException.class)
                .hasMessageContaining("after 2 retries");
        assertThat(batchSizes).containsExactly(2, 1, 1);
    }
}
