package dev.soi.core.domain;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.domain.Checks.shown;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One accepted POST or DELETE: a business unit's new state for one or more packages. Immutable and
 * valid by construction: at least one change, no package twice, accepted-at in whole milliseconds (the
 * precision of the {@code event_timestamp} column).
 */
public record Submission(SubmissionId id, Instant acceptedAt, String submittedBy, BusinessUnit businessUnit,
                         List<PackageChange> changes) {
    public static final int MAX_SUBMITTER_LENGTH = 256;

    public Submission {
        requireNonNull(id, "submission id");
        requireNonNull(acceptedAt, "accepted at");
        requireNonNull(submittedBy, "submitted by");
        requireNonNull(businessUnit, "business unit");
        requireNonNull(changes, "changes");
        checkArgument(!submittedBy.isBlank() && submittedBy.length() <= MAX_SUBMITTER_LENGTH,
                "submitted by must be 1-%d characters: %s", MAX_SUBMITTER_LENGTH, shown(submittedBy));
        checkArgument(!changes.isEmpty(), "a submission changes at least one package");
        acceptedAt = acceptedAt.truncatedTo(ChronoUnit.MILLIS);
        changes = List.copyOf(changes);
        Set<PackageName> seen = new HashSet<>();
        for (PackageChange change : changes) {
            checkArgument(seen.add(change.packageName()), "package %s appears twice in one submission", shown(change.packageName().value()));
        }
    }

    /** UTC date of {@link #acceptedAt}: the {@code request_date} partition of every row. */
    public LocalDate requestDate() {
        return acceptedAt.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    public int rowCount() {
        return changes.stream().mapToInt(PackageChange::rowCount).sum();
    }

    /** Streams this submission's PIT rows, as written by ingest run {@code runId}, without collecting them. */
    public void forEachRow(String runId, Consumer<PitRow> sink) {
        LocalDate date = requestDate();
        for (PackageChange change : changes) {
            if (change.isDeletion()) {
                sink.accept(new PitRow(null, change.packageName(), acceptedAt, id, submittedBy, runId, businessUnit, date));
            } else {
                for (Long referenceId : change.referenceIds()) {
                    sink.accept(new PitRow(referenceId, change.packageName(), acceptedAt, id, submittedBy, runId, businessUnit, date));
                }
            }
        }
    }
}
