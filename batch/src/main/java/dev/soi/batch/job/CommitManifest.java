package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.manifest.ManifestJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code commit-manifest}: the commit point. After a lease check the run's manifest turns COMMITTED with
 * its file list, conditional on the PENDING etag ({@link ManifestJournal#commit}). Does nothing when the run
 * opened no manifest.
 */
public final class CommitManifest implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(CommitManifest.class);

    private final BatchPorts ports;

    public CommitManifest(BatchPorts ports) {
        this.ports = requireNonNull(ports, "ports");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        RunState run = RunState.of(contribution);
        if (run.manifest() == null) {
            return RepeatStatus.FINISHED;
        }
        ports.lease().checkHeld(run.lease());
        ManifestJournal.Entry committed = run.journal().commit(run.manifest(), run.written().files());
        run.manifest(committed);
        StepCounts.record(contribution, 0, committed.manifest().submissions().size(), 0);
        log.info("{} {}: committed {} submissions in {} files", run.command().label(), run.runId(),
                committed.manifest().submissions().size(), committed.manifest().files().size());
        ports.faults().at(FaultPoint.AFTER_MANIFEST_COMMIT);
        return RepeatStatus.FINISHED;
    }
}
