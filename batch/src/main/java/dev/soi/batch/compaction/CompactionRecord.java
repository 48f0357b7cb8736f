package dev.soi.batch.compaction;

import static dev.soi.core.domain.Checks.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The compaction record of one PIT partition, {@code _compactions/business_unit=U/request_date=D.json}: where the
 * table reads the partition ({@code location}), the compaction under way ({@code target}), and the folder the last
 * swap retired, kept until its grace period ends. Immutable; state changes make copies.
 *
 * @param location      the folder writers write to and the table reads (for PENDING and VERIFIED, the old one)
 * @param target        the folder being compacted into; null when none is under way
 * @param retired       the folder the last swap replaced, whose files are deleted after the grace period; null once gone
 * @param retiredAt     when {@code retired} was swapped out
 * @param compactionRun the run id of the compaction this record last moved through
 * @param failures      compactions of the partition undone in a row (a failed check, an engine error, a crash, a
 *                      deadline); at two the scheduled runs set the partition aside; a compaction that ends DONE clears it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompactionRecord(String businessUnit, LocalDate requestDate, CompactionState state, String compactionRun,
                               String location, String target, String retired, Instant retiredAt, long rows,
                               String checksum, int filesBefore, int filesAfter, long bytesBefore, long bytesAfter,
                               Instant updatedAt, int failures) {
    public CompactionRecord {
        requireNonNull(businessUnit, "business unit");
        requireNonNull(requestDate, "request date");
        requireNonNull(state, "state");
        requireNonNull(compactionRun, "compaction run");
        requireNonNull(location, "location");
    }

    CompactionRecord with(CompactionState newState, String newLocation, String newTarget, String newRetired,
                          Instant newRetiredAt, Instant now) {
        return new CompactionRecord(businessUnit, requestDate, newState, compactionRun, newLocation, newTarget, newRetired,
                newRetiredAt, rows, checksum, filesBefore, filesAfter, bytesBefore, bytesAfter, now, failures);
    }

    CompactionRecord withFailures(int newFailures) {
        return new CompactionRecord(businessUnit, requestDate, state, compactionRun, location, target, retired, retiredAt,
                rows, checksum, filesBefore, filesAfter, bytesBefore, bytesAfter, updatedAt, newFailures);
    }

    CompactionRecord withCounts(long newRows, String newChecksum, int newFilesAfter, long newBytesAfter) {
        return new CompactionRecord(businessUnit, requestDate, state, compactionRun, location, target, retired, retiredAt,
                newRows, newChecksum, filesBefore, newFilesAfter, bytesBefore, newBytesAfter, updatedAt, failures);
    }
}
