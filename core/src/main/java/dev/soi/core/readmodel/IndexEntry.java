package dev.soi.core.readmodel;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.SubmissionId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One package's line in its unit's listing: its id count and version, and the size in bytes of the package's object as
 * published ({@code objectBytes}; 0 when a listing written before sizes were recorded), so that a run can find a damaged
 * or missing object by listing keys and sizes, without reading it.
 */
public record IndexEntry(PackageName name, long referenceIdsCount, Instant eventTimestamp, SubmissionId submissionId,
                         long objectBytes) {
    public IndexEntry {
        requireNonNull(name, "package name");
        checkArgument(referenceIdsCount > 0, "a listed package has ids: %s has %d", name, referenceIdsCount);
        eventTimestamp = requireNonNull(eventTimestamp, "event timestamp").truncatedTo(ChronoUnit.MILLIS);
        requireNonNull(submissionId, "submission id");
        checkArgument(objectBytes >= 0, "the object of %s cannot be %d bytes", name, objectBytes);
    }
}
