package dev.soi.batch.journal;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one encoding of the batch's journal records in the store (run manifests, the last-done and latest-current
 * records, compaction records): snake_case keys, ISO-8601 instants, indented so a person can read them in the
 * bucket, and unknown fields ignored so an older batch still reads what a newer one wrote.
 */
public final class JournalJson {
    /** Thread-safe once built, like every Jackson mapper. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private JournalJson() {}

    public static byte[] write(Object record) {
        return MAPPER.writeValueAsBytes(record);
    }

    /**
     * Parses the {@code kind} record stored under {@code key}; a damaged one is an {@link IllegalStateException} that names
     * the key, shows the start of the content and says how to repair it.
     */
    public static <T> T read(String kind, String key, byte[] content, Class<T> type) {
        try {
            return MAPPER.readValue(content, type);
        } catch (JacksonException e) {
            throw new IllegalStateException(kind + " " + key + " is not valid: " + e.getOriginalMessage() + " in "
                    + new String(content, 0, Math.min(content.length, 200), StandardCharsets.UTF_8)
                    + ". No run changes anything until it is repaired: restore its previous version from the bucket's object "
                    + "versions (S3 versioning), then run again", e);
        }
    }
}
