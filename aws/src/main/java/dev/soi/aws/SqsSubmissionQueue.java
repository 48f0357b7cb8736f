package dev.soi.aws;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.QueueException;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * {@link SubmissionQueue} on SQS (AWS SDK v2), used unchanged against ElasticMQ locally.
 *
 * <p>Batch calls report failures per entry inside a successful response, so every batch response is
 * checked: entries SQS failed on its side are sent again (only those, with backoff), entries failed as the
 * sender's fault are not, and anything still failed makes the call throw {@link QueueException} naming
 * the entries. Thread-safe: the SDK client is.
 */
public final class SqsSubmissionQueue implements SubmissionQueue {
    private static final int BATCH = 10;
    private static final int MAX_REASON = 1000;

    private final SqsClient client;
    private final String queueUrl;
    private final String dlqUrl;
    private final SqsQueueProperties properties;

    public SqsSubmissionQueue(SqsClient client, String queueUrl, String dlqUrl, SqsQueueProperties properties) {
        this.client = requireNonNull(client, "sqs client");
        this.queueUrl = requireNonNull(queueUrl, "queue url");
        this.dlqUrl = requireNonNull(dlqUrl, "dlq url");
        this.properties = requireNonNull(properties, "properties");
    }

    @Override
    public void enqueue(List<QueueMessage> messages) {
        requireNonNull(messages, "messages");
        for (QueueMessage message : messages) {
            int size = message.sizeInBytes();
            if (size > properties.maxMessageBytes()) {
                throw new QueueException("message of " + size + " bytes (body and attributes) exceeds the queue limit of "
                        + properties.maxMessageBytes() + " bytes; nothing was sent");
            }
        }
        List<List<QueueMessage>> batches = new ArrayList<>();
        List<QueueMessage> current = new ArrayList<>();
        int currentBytes = 0;
        for (QueueMessage message : messages) {
            int size = message.sizeInBytes();
            // SQS caps a batch at 10 entries and at the message size limit in total.
            if (current.size() == BATCH || currentBytes + size > SqsQueueProperties.SQS_MAX_MESSAGE_BYTES) {
                batches.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(message);
            currentBytes += size;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        for (List<QueueMessage> batch : batches) {
            Map<String, SendMessageBatchRequestEntry> entries = new LinkedHashMap<>();
            for (int i = 0; i < batch.size(); i++) {
                QueueMessage message = batch.get(i);
                entries.put(Integer.toString(i), SendMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i))
                        .messageBody(message.body())
                        .messageAttributes(attributes(message.attributes()))
                        .build());
            }
            retryFailedEntries("SendMessageBatch", entries, pending -> {
                SendMessageBatchResponse response = call("SendMessageBatch", queueUrl,
                        () -> client.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(pending.values())));
                return response.failed();
            });
        }
    }

    @Override
    public List<ReceivedMessage> receive(int max, Duration visibilityTimeout, Duration wait) {
        checkArgument(max >= 1 && max <= BATCH, "receive takes 1-10 messages: %d", max);
        requireNonNull(visibilityTimeout, "visibility timeout");
        requireNonNull(wait, "wait");
        checkArgument(wait.toSeconds() <= 20, "SQS waits at most 20 s: %s", wait);
        List<Message> messages = call("ReceiveMessage", queueUrl, () -> client.receiveMessage(b -> b
                .queueUrl(queueUrl)
                .maxNumberOfMessages(max)
                .visibilityTimeout(Math.toIntExact(visibilityTimeout.toSeconds()))
                .waitTimeSeconds(Math.toIntExact(wait.toSeconds()))
                .messageAttributeNames("All")
                .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))).messages();
        List<ReceivedMessage> received = new ArrayList<>(messages.size());
        for (Message message : messages) {
            Map<String, String> attributes = new HashMap<>();
            message.messageAttributes().forEach((name, value) -> {
                if (value.stringValue() != null) {
                    attributes.put(name, value.stringValue());
                }
            });
            String count = message.attributes().get(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT);
            received.add(new ReceivedMessage(message.messageId(), message.receiptHandle(), message.body(), attributes,
                    count == null ? 1 : Integer.parseInt(count)));
        }
        return received;
    }

    @Override
    public void delete(Collection<ReceivedMessage> messages) {
        List<ReceivedMessage> all = List.copyOf(requireNonNull(messages, "messages"));
        for (int from = 0; from < all.size(); from += BATCH) {
            List<ReceivedMessage> batch = all.subList(from, Math.min(all.size(), from + BATCH));
            Map<String, DeleteMessageBatchRequestEntry> entries = new LinkedHashMap<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.put(Integer.toString(i), DeleteMessageBatchRequestEntry.builder()
                        .id(Integer.toString(i)).receiptHandle(batch.get(i).receiptHandle()).build());
            }
            retryFailedEntries("DeleteMessageBatch", entries, pending -> {
                DeleteMessageBatchResponse response = call("DeleteMessageBatch", queueUrl,
                        () -> client.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(pending.values())));
                // A receipt for a message that is already gone: the delete has nothing left to do.
                return response.failed().stream().filter(e -> !isGone(e)).toList();
            });
        }
    }

    @Override
    public void changeVisibility(Collection<ReceivedMessage> messages, Duration timeout) {
        List<ReceivedMessage> all = List.copyOf(requireNonNull(messages, "messages"));
        int seconds = Math.toIntExact(requireNonNull(timeout, "timeout").toSeconds());
        for (int from = 0; from < all.size(); from += BATCH) {
            List<ReceivedMessage> batch = all.subList(from, Math.min(all.size(), from + BATCH));
            Map<String, ChangeMessageVisibilityBatchRequestEntry> entries = new LinkedHashMap<>();
            for (int i = 0; i < batch.size(); i++) {
                entries.put(Integer.toString(i), ChangeMessageVisibilityBatchRequestEntry.builder()
                        .id(Integer.toString(i)).receiptHandle(batch.get(i).receiptHandle()).visibilityTimeout(seconds).build());
            }
            retryFailedEntries("ChangeMessageVisibilityBatch", entries, pending -> call("ChangeMessageVisibilityBatch", queueUrl,
                    () -> client.changeMessageVisibilityBatch(b -> b.queueUrl(queueUrl).entries(pending.values())))
                    .failed().stream().filter(e -> !isGone(e)).toList());
        }
    }

    @Override
    public void deadLetter(ReceivedMessage message, String reason) {
        requireNonNull(message, "message");
        requireNonNull(reason, "reason");
        Map<String, String> attributes = new HashMap<>(message.attributes());
        attributes.put(DLQ_REASON_ATTRIBUTE, reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "…" : reason);
        attributes.put(DLQ_SOURCE_ATTRIBUTE, message.messageId());
        call("SendMessage", dlqUrl, () -> client.sendMessage(b -> b.queueUrl(dlqUrl)
                .messageBody(message.body()).messageAttributes(attributes(attributes))));
        // Only once the DLQ holds it: a failure above leaves the message on this queue, never lost.
        delete(List.of(message));
    }

    @Override
    public SubmissionQueue deadLetterQueue() {
        return new SqsSubmissionQueue(client, dlqUrl, dlqUrl, properties);
    }

    @Override
    public long approximateDepth() {
        String value = call("GetQueueAttributes", queueUrl, () -> client.getQueueAttributes(GetQueueAttributesRequest.builder()
                .queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES).build()))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
        return value == null ? 0 : Long.parseLong(value);
    }

    @Override
    public long approximateInFlight() {
        String value = call("GetQueueAttributes", queueUrl, () -> client.getQueueAttributes(GetQueueAttributesRequest.builder()
                .queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE).build()))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
        return value == null ? 0 : Long.parseLong(value);
    }

    @Override
    public int maxMessageBytes() {
        return properties.maxMessageBytes();
    }

    private <E> void retryFailedEntries(String operation, Map<String, E> entries,
                                        Function<Map<String, E>, List<BatchResultErrorEntry>> send) {
        Map<String, E> pending = new LinkedHashMap<>(entries);
        long backoff = properties.retryBackoff().toMillis();
        for (int attempt = 0; ; attempt++) {
            List<BatchResultErrorEntry> failed = send.apply(pending);
            if (failed.isEmpty()) {
                return;
            }
            List<BatchResultErrorEntry> permanent = failed.stream().filter(BatchResultErrorEntry::senderFault).toList();
            if (!permanent.isEmpty() || attempt >= properties.maxEntryRetries()) {
                throw new QueueException(operation + " on " + queueUrl + " failed for " + failed.size() + " of "
                        + entries.size() + " entries" + (permanent.isEmpty() ? " after " + attempt + " retries" : "") + ": " + describe(failed));
            }
            Map<String, E> retry = new LinkedHashMap<>();
            for (BatchResultErrorEntry entry : failed) {
                retry.put(entry.id(), pending.get(entry.id()));
            }
            pending = retry;
            pause(backoff);
            backoff *= 2;
        }
    }

    private static boolean isGone(BatchResultErrorEntry entry) {
        String code = entry.code() == null ? "" : entry.code();
        return code.contains("ReceiptHandleIsInvalid") || code.contains("MessageNotInflight") || code.contains("InvalidReceiptHandle");
    }

    private static String describe(List<BatchResultErrorEntry> failed) {
        return failed.stream().map(e -> "entry " + e.id() + ": " + e.code() + (e.message() == null ? "" : " (" + e.message() + ")")
                + (e.senderFault() ? " [sender fault]" : "")).toList().toString();
    }

    private static <T> T call(String operation, String url, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (SdkException e) {
            throw new QueueException(operation + " on " + url + " failed: " + e.getMessage(), e);
        }
    }

    private static Map<String, MessageAttributeValue> attributes(Map<String, String> attributes) {
        Map<String, MessageAttributeValue> values = new HashMap<>();
        attributes.forEach((name, value) -> values.put(name, MessageAttributeValue.builder().dataType("String").stringValue(value).build()));
        return values;
    }


    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueueException("interrupted while retrying failed entries");
        }
    }
}
