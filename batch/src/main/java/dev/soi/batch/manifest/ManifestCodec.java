package dev.soi.batch.manifest;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes run manifests as snake_case JSON with ISO-8601 instants. Thread-safe. */
public final class ManifestCodec {
    private final JsonMapper json = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    public byte[] write(RunManifest manifest) {
        return json.writeValueAsBytes(manifest);
    }

    /** Parses a manifest; a corrupt one is an {@link IllegalStateException} naming the key. */
    public RunManifest read(String key, byte[] content) {
        try {
            return json.readValue(content, RunManifest.class);
        } catch (JacksonException e) {
            throw new IllegalStateException("run manifest " + key + " is not valid: " + e.getOriginalMessage()
                    + " in " + new String(content, 0, Math.min(content.length, 200), StandardCharsets.UTF_8), e);
        }
    }
}
