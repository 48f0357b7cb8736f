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

    public byte[] writeLastDone(ManifestJournal.LastDone lastDone) {
        return json.writeValueAsBytes(lastDone);
    }

    public byte[] writeLatestCurrent(ManifestJournal.LatestCurrent current) {
        return json.writeValueAsBytes(current);
    }

    /** Parses the latest-current record; a corrupt one is an {@link IllegalStateException} naming the key. */
    public ManifestJournal.LatestCurrent readLatestCurrent(String key, byte[] content) {
        try {
            return json.readValue(content, ManifestJournal.LatestCurrent.class);
        } catch (JacksonException e) {
            throw damaged("latest-current record", key, content, e);
        }
    }

    /** Parses the last-done record; a corrupt one is an {@link IllegalStateException} naming the key. */
    public ManifestJournal.LastDone readLastDone(String key, byte[] content) {
        try {
            return json.readValue(content, ManifestJournal.LastDone.class);
        } catch (JacksonException e) {
            throw damaged("last-done record", key, content, e);
        }
    }

    /** Parses a manifest; a corrupt one is an {@link IllegalStateException} naming the key. */
    public RunManifest read(String key, byte[] content) {
        try {
            return json.readValue(content, RunManifest.class);
        } catch (JacksonException e) {
            throw damaged("run manifest", key, content, e);
        }
    }

    private static IllegalStateException damaged(String kind, String key, byte[] content, JacksonException e) {
        return new IllegalStateException(kind + " " + key + " is not valid: " + e.getOriginalMessage() + " in "
                + new String(content, 0, Math.min(content.length, 200), StandardCharsets.UTF_8)
                + ". No run changes anything until it is repaired: restore its previous version from the bucket's object "
                + "versions (S3 versioning), then run again", e);
    }
}
