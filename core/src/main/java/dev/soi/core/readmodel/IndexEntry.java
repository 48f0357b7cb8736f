package dev.soi.core.readmodel;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.SubmissionId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** One package's line in its unit's listing: its id count and version. */
public record IndexEntry(PackageName name, long referenceIdsCount, Instant eventTimestamp, SubmissionId submissionId) {
    public IndexEntry {
        requireNonNull(name, "package name");
        checkArgument(referenceIdsCount > 0, "a listed package has ids: %s has %d", name, referenceIdsCount);
        eventTimestamp = requireNonNull(eventTimestamp, "event timestamp").truncatedTo(ChronoUnit.MILLIS);
        requireNonNull(submissionId, "submission id");
    }
}
