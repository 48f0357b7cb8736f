package dev.soi.batch.ingest;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.JournalJson;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.RunContext;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.IndexLayout;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.write.OwnWrites;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which runs may have committed a submission, found by its acceptance hour: before a run opens its manifest it leaves
 * a marker {@code _journal/applied/{yyyyMMddHH}/{runId}} for each UTC hour in which a submission it applies was
 * accepted. Cross-run dedupe then reads, for a message accepted in hour H, one listing of H's markers (the dozen or so
 * runs of that hour and any that applied a late one) and those runs' manifests, however old the message is: a redrive
 * of a two-week-old dead letter reads as much as a fresh message, where scanning manifests by day read every run since
 * (about 4,000 manifests for 14 days).
 *
 * <p>A marker is written before the manifest, so a run that crashes before its commit leaves a marker whose manifest is
 * not committed, which dedupe reads and ignores; never a commit without its marker. Submissions accepted before the
 * index began ({@link StorageLayout#APPLIED_SINCE_KEY}, with an hour's margin) are looked up the old way, by day, within
 * the manifest lookback. Both are written through {@link OwnWrites}, so a write whose answer was lost and that landed
 * counts as done. Thread-safe as the store is.
 */
final class AppliedIndex {
    /** Messages accepted this close to the index's start may have been applied by a run before it. */
    private static final Duration START_MARGIN = Duration.ofHours(1);

    private final BatchPorts ports;
    private final RunContext run;
    private final OwnWrites writes;

    /** When the index began, written once by the first run that marks. */
    record Since(Instant since, String runId) {}

    AppliedIndex(BatchPorts ports, RunContext run) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.writes = new OwnWrites(ports.store(), run.runId().value());
    }

    /** When the index began, if it has. */
    Optional<Instant> since() {
        return ports.store().get(IndexLayout.APPLIED_SINCE_KEY)
                .map(o -> JournalJson.read("applied-index start", IndexLayout.APPLIED_SINCE_KEY, o.content(), Since.class).since());
    }

    /** Whether a submission accepted at {@code acceptedAt} is covered by the index that began at {@code since}. */
    static boolean covers(Optional<Instant> since, Instant acceptedAt) {
        return since.isPresent() && !acceptedAt.isBefore(since.get().plus(START_MARGIN));
    }

    /** Marks this run as applying submissions accepted at {@code acceptedTimes}, one marker an hour; starts the index if new. */
    void mark(Collection<Instant> acceptedTimes, Optional<Instant> since) {
        Set<String> keys = new TreeSet<>();
        acceptedTimes.forEach(at -> keys.add(IndexLayout.appliedKey(at, run.runId())));
        if (keys.isEmpty()) {
            return;
        }
        if (since.isEmpty()) {
            // A lost race means another run began it: its start is no later than this one's.
            OwnWrites.Outcome ignored = writes.create(IndexLayout.APPLIED_SINCE_KEY,
                    JournalJson.write(new Since(run.startedAt(), run.runId().value())));
        }
        byte[] marker = ("{\"run_id\":\"" + run.runId().value() + "\"}").getBytes(StandardCharsets.UTF_8);
        keys.forEach(key -> writes.put(key, marker));
    }

    /**
     * The runs other than this one that marked {@code acceptedAt}'s hour and started no earlier than a second before it
     * (run ids carry whole seconds): the only runs that can have committed a submission accepted then.
     */
    List<RunId> candidates(Instant acceptedAt) {
        String notBefore = StorageLayout.runStampOf(RunId.generate(acceptedAt.truncatedTo(ChronoUnit.SECONDS).minusSeconds(1), () -> 0L));
        Set<RunId> runs = new TreeSet<>();
        for (ObjectSummary marker : ports.store().list(IndexLayout.appliedHourPrefix(acceptedAt))) {
            RunId.parse(marker.key().substring(marker.key().lastIndexOf('/') + 1))
                    .filter(r -> !r.equals(run.runId()) && StorageLayout.runStampOf(r).compareTo(notBefore) >= 0)
                    .ifPresent(runs::add);
        }
        return List.copyOf(runs);
    }

    /** The submission ids the committed manifests of {@code runs} hold. */
    Set<String> committedBy(Collection<RunId> runs) {
        Set<String> ids = new HashSet<>();
        for (RunId candidate : runs) {
            run.journal().manifestOf(candidate).filter(m -> m.state().isCommitted())
                    .ifPresent(m -> m.submissions().forEach(s -> ids.add(s.submissionId())));
        }
        return ids;
    }
}
