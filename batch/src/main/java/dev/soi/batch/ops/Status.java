package dev.soi.batch.ops;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.journal.RunManifest;
import dev.soi.batch.run.BatchPorts;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.message.InvalidMessageException;
import dev.soi.core.port.Lease;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.ReceivedMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;

/**
 * The answer to {@code status}: reads, changes nothing, takes no lease. Lease, queue depths, the last run of each
 * outcome ({@link LastRuns}), open runs, the last published version, since when the latest table is known to be
 * current (the record a run leaves after it drained the queue to its end), and the oldest submission not yet applied
 * (peeked with a zero visibility timeout, so no run loses sight of a message).
 */
public final class Status {
    private final BatchPorts ports;

    public Status(BatchPorts ports) {
        this.ports = requireNonNull(ports, "ports");
    }

    public StackStatus read() {
        ManifestJournal journal = new ManifestJournal(ports.store(), ports.clock());
        Instant now = ports.clock().instant();
        Optional<Lease> lease = ports.lease().current();
        Map<String, Map<String, Object>> lastRuns = new LinkedHashMap<>();
        for (String outcome : LastRuns.OUTCOMES) {
            ports.store().get(StorageLayout.lastRunKey(outcome)).ifPresent(o -> lastRuns.put(outcome,
                    LastRuns.JSON.readValue(o.content(), new TypeReference<Map<String, Object>>() {})));
        }
        List<String> openRuns = new ArrayList<>();
        Instant oldest = null;
        for (RunId open : journal.openRuns()) {
            openRuns.add(open.value());
            Optional<RunManifest> manifest = journal.manifestOf(open);
            for (RunManifest.SubmissionEntry entry : manifest.map(RunManifest::submissions).orElse(List.of())) {
                oldest = oldest == null || entry.acceptedAt().isBefore(oldest) ? entry.acceptedAt() : oldest;
            }
        }
        for (ReceivedMessage message : ports.queue().receive(10, Duration.ZERO, Duration.ZERO)) {
            try {
                Instant accepted = ports.messages().decode(message.body()).acceptedAt();
                oldest = oldest == null || accepted.isBefore(oldest) ? accepted : oldest;
            } catch (InvalidMessageException | ObjectStoreException e) {
                // A poison message: the next run dead-letters it; it has no acceptance time to report.
            }
        }
        Optional<ManifestJournal.LastDone> lastDone = journal.lastDone();
        return new StackStatus(now, lease.map(Lease::holder).orElse(null),
                lease.flatMap(l -> RunId.parse(l.holder())).map(RunId::startedAt).orElse(null),
                lease.map(Lease::expiresAt).orElse(null), ports.queue().approximateDepth(), ports.queue().approximateInFlight(),
                ports.queue().deadLetterQueue().approximateDepth(), lastRuns, openRuns,
                lastDone.map(ManifestJournal.LastDone::latestVersion).orElse(null),
                lastDone.map(ManifestJournal.LastDone::finishedAt).orElse(null), oldest,
                journal.latestCurrent().map(ManifestJournal.LatestCurrent::currentAsOf).orElse(null));
    }
}
