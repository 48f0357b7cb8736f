package dev.soi.core.port;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A message to send: a UTF-8 body and string attributes (SQS message attributes). */
public record QueueMessage(String body, Map<String, String> attributes) {
    public QueueMessage {
        requireNonNull(body, "body");
        attributes = Map.copyOf(requireNonNull(attributes, "attributes"));
    }

    /**
     * The bytes this message counts against a queue's size limit, as SQS counts them: the UTF-8 body plus, per
     * attribute, its name, its data type ({@code String}) and its value.
     */
    public int sizeInBytes() {
        int size = body.getBytes(StandardCharsets.UTF_8).length;
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            size += attribute.getKey().getBytes(StandardCharsets.UTF_8).length + "String".length()
                    + attribute.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return size;
    }
}
