package dev.soi.core.port;

import static dev.soi.core.domain.Checks.requireNonNull;

/** An object read in full, with the etag to use for a later {@link ObjectStore#putIfMatch}. */
public record StoredObject(String key, byte[] content, String etag) {
    public StoredObject {
        requireNonNull(key, "key");
        requireNonNull(content, "content");
        requireNonNull(etag, "etag");
    }
}
