package dev.soi.core.port;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.util.Map;

/** A message to send: a UTF-8 body and string attributes (SQS message attributes). */
public record QueueMessage(String body, Map<String, String> attributes) {
    public QueueMessage {
        requireNonNull(body, "body");
        attributes = Map.copyOf(requireNonNull(attributes, "attributes"));
    }
}
