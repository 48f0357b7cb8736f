package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.manifest.ManifestJournal;
import dev.soi.batch.manifest.RunManifest;
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
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Step {@code status}: reads, changes nothing. Lease, queue depths, the last run of each outcome (records the
 * commands leave, see {@link #recordLastRun}), open runs, the last published version, since when the latest
 * table is known to be current (the record {@link RunLifecycle} leaves after a run that drained the queue to its
 * end), and the oldest submission
 * not yet applied (peeked with a zero visibility timeout, so no run loses sight of a message).
 */
public final class ReadStatus implements Tasklet {
    static final List<String> OUTCOMES = List.of("completed", "failed", "lease_held");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BatchPorts ports;

    public ReadStatus(BatchPorts ports) {
        this.ports = requireNonNull(ports, "ports");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        RunState run = RunState.of(contribution);
        ManifestJournal journal = run.journal();
        Instant now = ports.clock().instant();
        Optional<Lease> lease = ports.lease().current();
        Map<String, Map<String, Object>> lastRuns = new LinkedHashMap<>();
        for (String outcome : OUTCOMES) {
            ports.store().get(StorageLayout.lastRunKey(outcome)).ifPresent(o -> lastRuns.put(outcome,
                    JSON.readValue(o.content(), new TypeReference<Map<String, Object>>() {})));
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
        run.status(new StackStatus(now, lease.map(Lease::holder).orElse(null),
                lease.flatMap(l -> RunId.parse(l.holder())).map(RunId::startedAt).orElse(null),
                lease.map(Lease::expiresAt).orElse(null), ports.queue().approximateDepth(), ports.queue().approximateInFlight(),
                ports.queue().deadLetterQueue().approximateDepth(), lastRuns, openRuns,
                lastDone.map(ManifestJournal.LastDone::latestVersion).orElse(null),
                lastDone.map(ManifestJournal.LastDone::finishedAt).orElse(null), oldest,
                journal.latestCurrent().map(ManifestJournal.LatestCurrent::currentAsOf).orElse(null)));
        return RepeatStatus.FINISHED;
    }

    /** Leaves the record {@code status} shows as the last run of this outcome. */
    public static void recordLastRun(BatchPorts ports, dev.soi.batch.RunSummary summary, Instant finishedAt) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("run_id", summary.runId());
        record.put("command", summary.command());
        record.put("finished_at", finishedAt.toString());
        record.put("summary", summary.sentence());
        ports.store().put(StorageLayout.lastRunKey(summary.outcome().name().toLowerCase(java.util.Locale.ROOT)),
                JSON.writeValueAsBytes(record));
    }
}
