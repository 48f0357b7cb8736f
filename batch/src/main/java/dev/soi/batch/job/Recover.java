package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.manifest.ManifestJournal;
import dev.soi.batch.manifest.ManifestState;
import dev.soi.batch.manifest.RunManifest;
import dev.soi.core.domain.StorageLayout;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code recover}: finishes what crashed runs left. A PENDING manifest is rolled back (its files
 * deleted, ABORTED); a COMMITTED one is carried by this run (its partitions re-registered, the latest table
 * rebuilt, DONE at the end). Looks at today's and yesterday's manifests, newest first, and stops at the first
 * DONE one: that run already recovered everything before it. With {@code --full} it looks over the whole
 * manifest lookback and does not stop at a DONE run.
 */
public final class Recover implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(Recover.class);

    private final BatchPorts ports;
    private final RollBack rollBack;

    public Recover(BatchPorts ports, RollBack rollBack) {
        this.ports = requireNonNull(ports, "ports");
        this.rollBack = requireNonNull(rollBack, "roll back");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        RunState run = RunState.of(contribution);
        ManifestJournal journal = run.journal();
        LocalDate today = ports.clock().instant().atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate from = today.minusDays(run.full() ? ports.properties().manifestLookback().toDays() : 1);
        List<String> keys = journal.keysBetween(from, today);
        String ownKey = StorageLayout.manifestKey(run.runId());
        List<String> rolledBack = new ArrayList<>();
        List<ManifestJournal.Entry> carried = new ArrayList<>();
        RunManifest previousDone = null;
        long read = 0;
        for (int i = keys.size() - 1; i >= 0; i--) {
            if (keys.get(i).equals(ownKey)) {
                continue;
            }
            Optional<ManifestJournal.Entry> found = journal.read(keys.get(i));
            if (found.isEmpty()) {
                continue;
            }
            read++;
            ManifestJournal.Entry entry = found.get();
            if (entry.state() == ManifestState.DONE && !run.full()) {
                if (entry.manifest().latestVersion() != null) {
                    previousDone = entry.manifest();
                }
                break;
            }
            if (entry.state() == ManifestState.PENDING) {
                rollBack.pending(run, entry);
                rolledBack.add(entry.runId());
            } else if (entry.state() == ManifestState.COMMITTED) {
                carried.add(entry);
            }
        }
        if (!rolledBack.isEmpty() || !carried.isEmpty()) {
            log.info("{} {}: rolled back {}, carrying committed {}", run.command().label(), run.runId(), rolledBack,
                    carried.stream().map(ManifestJournal.Entry::runId).toList());
        }
        run.recovery(new RunState.Recovery(rolledBack, carried, previousDone));
        StepCounts.record(contribution, read, rolledBack.size() + carried.size(), 0);
        return RepeatStatus.FINISHED;
    }
}
