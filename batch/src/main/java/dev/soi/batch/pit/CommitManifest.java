package dev.soi.batch.pit;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.journal.OwnManifest;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.run.HeldLease;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.WriteOnce;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code commit-manifest}: the commit point. After a lease check the run's manifest turns COMMITTED with
 * its file list, conditional on the PENDING etag ({@link ManifestJournal#commit}).
 */
public final class CommitManifest implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(CommitManifest.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final HeldLease lease;
    private final OwnManifest manifest;
    private final WriteOnce<Written> written;

    public CommitManifest(BatchPorts ports, RunContext run, HeldLease lease, OwnManifest manifest, WriteOnce<Written> written) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.lease = requireNonNull(lease, "lease");
        this.manifest = requireNonNull(manifest, "manifest");
        this.written = requireNonNull(written, "written");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        lease.check();
        ManifestJournal.Entry committed = manifest.commit(written.get().files());
        StepCounts.record(contribution, 0, committed.manifest().submissions().size(), 0);
        log.info("{}: committed {} submissions in {} files", run, committed.manifest().submissions().size(),
                committed.manifest().files().size());
        ports.faults().at(FaultPoint.AFTER_MANIFEST_COMMIT);
        return RepeatStatus.FINISHED;
    }
}
