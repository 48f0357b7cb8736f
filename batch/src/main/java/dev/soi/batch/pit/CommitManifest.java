package dev.soi.batch.pit;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.journal.OwnManifest;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.run.HeldLease;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code commit-manifest}: the commit point, then the files' publication. After a lease check the run's manifest
 * turns COMMITTED, conditional on the PENDING etag ({@link ManifestJournal#commit}); a commit whose answer was lost is
 * recognised as this run's on re-read. Only then are the files' staged uploads completed, so no reader of the table
 * ever sees a row of a run that is not committed; a crash in between leaves a COMMITTED manifest whose uploads the next
 * run's {@code recover} completes. Write count: submissions committed.
 */
public final class CommitManifest implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(CommitManifest.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final HeldLease lease;
    private final OwnManifest manifest;

    public CommitManifest(BatchPorts ports, RunContext run, HeldLease lease, OwnManifest manifest) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.lease = requireNonNull(lease, "lease");
        this.manifest = requireNonNull(manifest, "manifest");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ports.faults().at(FaultPoint.BEFORE_COMMIT);
        lease.check();
        ManifestJournal.Entry committed = manifest.commit();
        StepCounts.record(contribution, 0, committed.manifest().submissions().size(), 0);
        log.info("{}: committed {} submissions in {} files", run, committed.manifest().submissions().size(),
                committed.manifest().files().size());
        ports.faults().at(FaultPoint.AFTER_MANIFEST_COMMIT);
        PitUploads.complete(ports, committed.manifest().pendingUploads());
        return RepeatStatus.FINISHED;
    }
}
