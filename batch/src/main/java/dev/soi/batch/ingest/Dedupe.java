package dev.soi.batch.ingest;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.Recovery;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.RunContext;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.IndexLayout;
import dev.soi.core.domain.StorageLayout;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Optional;
import java.util.TreeMap;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What of a drain is new: one delivery per submission id (the others only to delete), and none of a submission a run
 * already committed: by the committed manifests of the runs the applied index names for its acceptance hour (no run
 * that started before it was accepted can have seen it; {@link AppliedIndex}), and by the committed runs this run
 * carries, whatever their age. It marks the index for what it leaves to apply.
 */
final class Dedupe {
    private static final Logger log = LoggerFactory.getLogger(Dedupe.class);

    /** Counters the receiver threads share. */
    static final class Counters {
        final AtomicLong received = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong deadLettered = new AtomicLong();
        /** A receiver stopped on the budget (or an interrupt), or a message is left for redelivery: work is left. */
        final AtomicBoolean leftWork = new AtomicBoolean();
    }

    private final BatchPorts ports;
    private final RunContext run;
    private final Recovery recovery;

    Dedupe(BatchPorts ports, RunContext run, Recovery recovery) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.recovery = requireNonNull(recovery, "recovery");
    }

    Drained of(List<Delivery> deliveries, Counters counters) {
        Map<String, Delivery> unique = new HashMap<>();
        List<Delivery> toDelete = new ArrayList<>();
        long duplicates = 0;
        for (Delivery d : deliveries) {
            if (unique.putIfAbsent(d.submission().id().toString(), d) != null) {
                toDelete.add(d);
                duplicates++;
            }
        }
        AppliedIndex index = new AppliedIndex(ports, run);
        Optional<Instant> since = unique.isEmpty() ? Optional.empty() : index.since();
        Set<String> committed = committedSubmissionIds(unique.values(), index, since);
        List<Delivery> toApply = new ArrayList<>();
        long alreadyCommitted = 0;
        for (Delivery d : unique.values()) {
            if (committed.contains(d.submission().id().toString())) {
                toDelete.add(d);
                alreadyCommitted++;
            } else {
                toApply.add(d);
            }
        }
        Set<String> outside = new TreeSet<>();
        toApply.forEach(d -> {
            if (!ports.properties().knowsUnit(d.submission().businessUnit())) {
                outside.add(d.submission().businessUnit().code());
            }
        });
        if (!outside.isEmpty()) {
            log.warn("{}: applying submissions of units no longer in the registry {}: the API accepted them. If the units "
                    + "are still in use, add them back to soi.business-units (SOI_BUSINESS_UNITS)", run, outside);
        }
        toApply.sort(Comparator.comparing((Delivery d) -> d.submission().businessUnit())
                .thenComparing(d -> d.submission().requestDate())
                .thenComparing(d -> d.submission().id()));
        // Before the manifest: a run that commits these is always found through the index.
        index.mark(toApply.stream().map(d -> d.submission().acceptedAt()).toList(), since);
        return new Drained(toApply, toDelete, counters.received.get(), counters.bytes.get(), duplicates,
                alreadyCommitted, counters.deadLettered.get(), List.copyOf(outside), !counters.leftWork.get());
    }

    /**
     * Ids among {@code unique}'s submissions that a run already committed. For each acceptance hour, the runs the applied
     * index names for it (a listing and their manifests: as much for a two-week-old redriven message as for a fresh one);
     * for submissions accepted before the index began, the manifests of runs that started at or after the oldest such
     * acceptance time, by day, bounded by the manifest lookback (SQS keeps a message at most 14 days).
     */
    private Set<String> committedSubmissionIds(Collection<Delivery> unique, AppliedIndex index, Optional<Instant> since) {
        Set<String> ids = new HashSet<>();
        Map<String, Instant> earliestPerHour = new TreeMap<>();
        Instant oldestUncovered = null;
        for (Delivery d : unique) {
            Instant at = d.submission().acceptedAt();
            if (AppliedIndex.covers(since, at)) {
                earliestPerHour.merge(IndexLayout.appliedHourPrefix(at), at, (a, b) -> a.isBefore(b) ? a : b);
            } else if (oldestUncovered == null || at.isBefore(oldestUncovered)) {
                oldestUncovered = at;
            }
        }
        for (Instant earliest : earliestPerHour.values()) {
            ids.addAll(index.committedBy(index.candidates(earliest)));
        }
        if (oldestUncovered != null) {
            ids.addAll(committedByDay(oldestUncovered));
        }
        // The committed runs this run carries, whatever their age: recovery found them through the open-run index,
        // and their messages may still be on the queue even when the runs are older than the lookback.
        recovery.carried().forEach(e -> e.manifest().submissions().forEach(s -> ids.add(s.submissionId())));
        return ids;
    }

    /** Ids committed by runs that started at or after {@code oldestAcceptedAt}, by their manifests day by day. */
    private Set<String> committedByDay(Instant oldestAcceptedAt) {
        LocalDate today = ports.clock().instant().atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate lookback = today.minusDays(ports.properties().manifestLookback().toDays());
        LocalDate from = oldestAcceptedAt.atOffset(ZoneOffset.UTC).toLocalDate();
        if (from.isBefore(lookback)) {
            from = lookback;
        }
        // Run ids carry whole seconds; a run that started in the same second may hold the submission.
        String notBefore = StorageLayout.runStampOf(RunId.generate(oldestAcceptedAt.minusSeconds(1), () -> 0L));
        String ownKey = StorageLayout.manifestKey(run.runId());
        Set<String> ids = new HashSet<>();
        for (String key : run.journal().keysBetween(from, today)) {
            if (key.equals(ownKey) || StorageLayout.runStampOf(key).compareTo(notBefore) < 0) {
                continue;
            }
            run.journal().read(key).map(e -> e.manifest()).filter(m -> m.state().isCommitted())
                    .ifPresent(m -> m.submissions().forEach(s -> ids.add(s.submissionId())));
        }
        return ids;
    }
}
