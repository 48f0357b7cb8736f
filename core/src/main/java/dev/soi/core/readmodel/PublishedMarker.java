package dev.soi.core.readmodel;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.time.Instant;

/**
 * What the read model holds: every package as of latest version {@code latestVersion} when {@code complete}, published
 * by run {@code runId}. A full publication first writes it incomplete, so a crash part-way is never taken for a complete
 * one; the next publication is then a full one again.
 */
public record PublishedMarker(String latestVersion, String runId, boolean complete, Instant publishedAt) {
    public PublishedMarker {
        requireNonNull(latestVersion, "latest version");
        requireNonNull(runId, "run id");
        requireNonNull(publishedAt, "published at");
    }

    /** Whether the read model holds every package of {@code version} (and of every version before it). */
    public boolean holds(String version) {
        return complete && latestVersion.equals(version);
    }
}
