package dev.soi.core.readmodel;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.SubmissionId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One package in the read model: what {@code GET …/packages/{name}} answers (its latest ids, sorted, and the version
 * they belong to), or, when a tombstone won, the deletion itself. A deletion answers 404 like a package never
 * submitted, and is kept so that the next version of the package knows which submission it supersedes.
 */
public record PackageDocument(BusinessUnit unit, PackageName name, List<Long> referenceIds, Instant eventTimestamp,
                              SubmissionId submissionId, boolean deleted) {
    private static final ReadModelCodec CODEC = new ReadModelCodec();

    public PackageDocument {
        requireNonNull(unit, "business unit");
        requireNonNull(name, "package name");
        referenceIds = List.copyOf(requireNonNull(referenceIds, "reference ids"));
        eventTimestamp = requireNonNull(eventTimestamp, "event timestamp").truncatedTo(ChronoUnit.MILLIS);
        requireNonNull(submissionId, "submission id");
        checkArgument(deleted == referenceIds.isEmpty(), "package %s of %s: a deletion has no ids, a version has some (%d)",
                name, unit, referenceIds.size());
        for (int i = 1; i < referenceIds.size(); i++) {
            checkArgument(referenceIds.get(i - 1) < referenceIds.get(i), "package %s of %s: ids must be ascending and distinct", name, unit);
        }
    }

    public static PackageDocument version(BusinessUnit unit, PackageName name, List<Long> sortedIds, Instant eventTimestamp,
                                          SubmissionId submissionId) {
        return new PackageDocument(unit, name, sortedIds, eventTimestamp, submissionId, false);
    }

    public static PackageDocument deletion(BusinessUnit unit, PackageName name, Instant eventTimestamp, SubmissionId submissionId) {
        return new PackageDocument(unit, name, List.of(), eventTimestamp, submissionId, true);
    }

    /** Its line in the unit's listing, with the size of its object as encoded; only a package that is not deleted has one. */
    public IndexEntry entry() {
        checkArgument(!deleted, "package %s of %s is deleted: it is not listed", name, unit);
        return new IndexEntry(name, referenceIds.size(), eventTimestamp, submissionId, CODEC.encode(this).length);
    }

    /** Orders versions as the latest table does: newest event timestamp, then the larger submission id. */
    public boolean isNewerThan(Instant otherTimestamp, SubmissionId otherSubmission) {
        int byTime = eventTimestamp.compareTo(otherTimestamp.truncatedTo(ChronoUnit.MILLIS));
        return byTime > 0 || byTime == 0 && submissionId.compareTo(otherSubmission) > 0;
    }
}
