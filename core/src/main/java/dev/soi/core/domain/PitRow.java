package dev.soi.core.domain;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * One row of {@code security_of_interest_pit}. {@code referenceId} is null only in a tombstone (a
 * package set to no ids). {@code requestDate} is always the UTC date of {@code eventTimestamp}.
 */
public record PitRow(Long referenceId, PackageName packageName, Instant eventTimestamp, SubmissionId submissionId,
                     String submittedBy, String ingestRunId, BusinessUnit businessUnit, LocalDate requestDate) {

    public PitRow {
        if (referenceId != null) {
            ReferenceId.of(referenceId);
        }
        requireNonNull(packageName, "package name");
        requireNonNull(eventTimestamp, "event timestamp");
        requireNonNull(submissionId, "submission id");
        requireNonNull(submittedBy, "submitted by");
        requireNonNull(ingestRunId, "ingest run id");
        requireNonNull(businessUnit, "business unit");
        requireNonNull(requestDate, "request date");
        checkArgument(eventTimestamp.getNano() % 1_000_000 == 0, "event timestamp must be whole milliseconds: %s", eventTimestamp);
        checkArgument(eventTimestamp.atOffset(ZoneOffset.UTC).toLocalDate().equals(requestDate),
                "request date %s is not the UTC date of event timestamp %s", requestDate, eventTimestamp);
    }

    public boolean isTombstone() {
        return referenceId == null;
    }
}
