package dev.soi.batch.pit;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.journal.ManifestState;
import dev.soi.batch.journal.Recovery;
import dev.soi.batch.journal.RunManifest;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.TreeMap;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code recover}: finishes what crashed runs left. A PENDING manifest is rolled back (ABORTED first, then its
 * uploads aborted and files deleted, see {@link RollBack}), and an ABORTED one whose clean-up was cut short is cleaned
 * up; a COMMITTED one has its staged uploads completed (a crash between the commit and the completion leaves them
 * invisible) and is carried by this run (its partitions re-registered, the latest table rebuilt, DONE at the end). It
 * finds them through the journal's open-run index, whatever their age, plus a scan of today's and yesterday's manifests
 * (see {@link #unfinished}); with {@code --full}, a scan of the whole manifest lookback. It also reads which latest
 * version the last finished run published.
 */
public final class Recover implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(Recover.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final RollBack rollBack;
    private final WriteOnce<Recovery> recovery;

    /** @param recovery where it leaves what it rolled back and what this run carries */
    public Recover(BatchPorts ports, RunContext run, RollBack rollBack, WriteOnce<Recovery> recovery) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.rollBack = requireNonNull(rollBack, "roll back");
        this.recovery = requireNonNull(recovery, "recovery");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ManifestJournal journal = run.journal();
        List<String> rolledBack = new ArrayList<>();
        List<ManifestJournal.Entry> carried = new ArrayList<>();
        long read = 0;
        for (ManifestJournal.Entry entry : unfinished(journal)) {
            read++;
            RunId runId = new RunId(entry.runId());
            if (entry.state() == ManifestState.PENDING || entry.state() == ManifestState.ABORTED) {
                Optional<ManifestState> found = rollBack.ifNotCommitted(journal, runId, List.of());
                if (found.isPresent() && found.get() == ManifestState.PENDING) {
                    rolledBack.add(entry.runId());
                }
            } else if (entry.state() == ManifestState.COMMITTED) {
                PitUploads.complete(ports, entry.manifest().pendingUploads());
                carried.add(entry);
            } else {
                journal.forget(runId); // finished, but crashed before its marker went
            }
        }
        String lastPublished = journal.lastDone().map(ManifestJournal.LastDone::latestVersion)
                .orElseGet(() -> newestDoneToday(journal));
        if (!rolledBack.isEmpty() || !carried.isEmpty()) {
            log.info("{}: rolled back {}, carrying committed {}", run, rolledBack,
                    carried.stream().map(ManifestJournal.Entry::runId).toList());
        }
        recovery.set(new Recovery(rolledBack, carried, lastPublished));
        StepCounts.record(contribution, read, rolledBack.size() + carried.size(), 0);
        return RepeatStatus.FINISHED;
    }

    /**
     * The manifests of runs that may be unfinished, newest first: every run in the open-run index, whatever its
     * age, and today's and yesterday's runs newer than the newest DONE one (a run that lost its lease can still
     * write its manifest after recovery cleared its marker; the day scan finds it). A marker without a manifest
     * (a crash between the two writes) is deleted. An ABORTED run is unfinished only while its marker is there.
     */
    private List<ManifestJournal.Entry> unfinished(ManifestJournal journal) {
        TreeMap<String, ManifestJournal.Entry> found = new TreeMap<>(Comparator.reverseOrder());
        for (RunId open : journal.openRuns()) {
            if (open.equals(run.runId())) {
                continue;
            }
            String key = StorageLayout.manifestKey(open);
            journal.read(key).ifPresentOrElse(e -> found.put(key, e), () -> journal.forget(open));
        }
        LocalDate today = ports.clock().instant().atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate from = today.minusDays(run.full() ? ports.properties().manifestLookback().toDays() : 1);
        List<String> keys = journal.keysBetween(from, today);
        String ownKey = StorageLayout.manifestKey(run.runId());
        for (int i = keys.size() - 1; i >= 0; i--) {
            String key = keys.get(i);
            if (key.equals(ownKey) || found.containsKey(key)) {
                continue;
            }
            Optional<ManifestJournal.Entry> entry = journal.read(key);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.get().state() == ManifestState.DONE && !run.full()) {
                break;
            }
            if (entry.get().state() != ManifestState.ABORTED) { // an aborted run without a marker is finished
                found.put(key, entry.get());
            }
        }
        return List.copyOf(found.values());
    }

    /** For history written before the last-done record existed: the newest DONE run of today or yesterday. */
    private String newestDoneToday(ManifestJournal journal) {
        LocalDate today = ports.clock().instant().atOffset(ZoneOffset.UTC).toLocalDate();
        List<String> keys = journal.keysBetween(today.minusDays(1), today);
        for (int i = keys.size() - 1; i >= 0; i--) {
            Optional<RunManifest> manifest = journal.read(keys.get(i)).map(ManifestJournal.Entry::manifest);
            if (manifest.isPresent() && manifest.get().state() == ManifestState.DONE) {
                return manifest.get().latestVersion();
            }
        }
        return null;
    }
}
