package dev.soi.core.port;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.time.Instant;

/** One listed object. */
public record ObjectSummary(String key, long size, Instant lastModified) {
    public ObjectSummary {
        requireNonNull(key, "key");
        requireNonNull(lastModified, "last modified");
    }
}
