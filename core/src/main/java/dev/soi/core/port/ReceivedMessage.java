package dev.soi.core.port;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.util.Map;

/**
 * A received message. {@code receiptHandle} identifies this receipt (for delete and visibility changes);
 * {@code receiveCount} is how often the queue has delivered it, this time included.
 */
public record ReceivedMessage(String messageId, String receiptHandle, String body, Map<String, String> attributes,
                              int receiveCount) {
    public ReceivedMessage {
        requireNonNull(messageId, "message id");
        requireNonNull(receiptHandle, "receipt handle");
        requireNonNull(body, "body");
        attributes = Map.copyOf(requireNonNull(attributes, "attributes"));
    }
}
