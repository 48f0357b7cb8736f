package dev.soi.batch.ops;

import dev.soi.batch.run.Utf8;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message in the dead-letter queue, as {@code dlq list} shows it: which submission (when its attributes say),
 * which unit, and why it was dead-lettered.
 */
public record DeadLetter(String messageId, String submissionId, String businessUnit, String reason, int receiveCount,
                         long bodyBytes) {

    static DeadLetter of(ReceivedMessage message) {
        Map<String, String> attributes = message.attributes();
        String reason = attributes.get(SubmissionQueue.DLQ_REASON_ATTRIBUTE);
        return new DeadLetter(message.messageId(), attributes.get(SubmissionMessages.ATTR_SUBMISSION_ID),
                attributes.get(SubmissionMessages.ATTR_BUSINESS_UNIT),
                reason != null ? reason : "moved by SQS after too many receives (the queue's maxReceiveCount); the batch "
                        + "never saw it fail, so check the batch's logs around its receives",
                message.receiveCount(), Utf8.length(message.body()));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("message_id", messageId);
        map.put("submission_id", submissionId);
        map.put("business_unit", businessUnit);
        map.put("reason", reason);
        map.put("receive_count", receiveCount);
        map.put("body_bytes", bodyBytes);
        return map;
    }
}
