package dev.soi.batch.latest;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.journal.OwnManifest;
import dev.soi.batch.journal.Recovery;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.Command;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.run.HeldLease;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.sql.Statement;
import dev.soi.core.sql.TableStatements;
import java.time.LocalDate;
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
 * Step {@code rebuild-latest}: CTAS of the latest table into {@code version={runId}/}, checked ({@link LatestChecks}),
 * then swapped in after a fencing check. The run and the commits it carries become DONE only once the read model is
 * published from the new version (step {@code publish-read-model}). Write count: rows of the new version.
 */
public final class RebuildLatest implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(RebuildLatest.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final HeldLease lease;
    private final WriteOnce<Recovery> recovery;
    private final OwnManifest manifest;
    private final WriteOnce<Rebuilt> rebuilt;

    /** @param rebuilt where it leaves the version it swapped in */
    public RebuildLatest(BatchPorts ports, RunContext run, HeldLease lease, WriteOnce<Recovery> recovery, OwnManifest manifest,
                         WriteOnce<Rebuilt> rebuilt) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.lease = requireNonNull(lease, "lease");
        this.recovery = requireNonNull(recovery, "recovery");
        this.manifest = requireNonNull(manifest, "manifest");
        this.rebuilt = requireNonNull(rebuilt, "rebuilt");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        QueryEngine engine = ports.engine();
        TableStatements statements = ports.statements();
        String staging = StorageLayout.stagingTable(run.runId());
        String version = run.runId().value();
        String prefix = StorageLayout.latestVersionPrefix(version);
        Optional<Statement> incremental = incrementalStatement(staging, prefix);
        try {
            engine.execute(incremental.orElseGet(() -> statements.createLatestFromPit(staging, prefix)));
        } catch (QueryFailedException e) {
            throw new IllegalStateException("the latest table could not be built: " + e.getMessage() + ". If it names a "
                    + (incremental.isPresent() ? "file of the current latest version, run rebuild-latest --full: it rebuilds "
                    + "from PIT alone into a new version. If it names a " : "")
                    + "PIT file, that file is damaged: restore it from the bucket's object versions, then run rebuild-latest --full", e);
        }
        ports.faults().at(FaultPoint.DURING_CTAS);
        long latestRows = new LatestChecks(ports, run).verify(staging, prefix, version);
        ports.faults().at(FaultPoint.BETWEEN_CTAS_AND_SWAP);

        lease.check();
        manifest.recordLatestVersion(version, LatestDamage.filesOf(ports.store(), prefix));
        engine.execute(statements.swapLatest(prefix));
        rebuilt.set(new Rebuilt(version, latestRows, incremental.isPresent()));
        engine.execute(statements.dropStaging(staging));
        for (ManifestJournal.Entry carried : recovery.get().carried()) {
            // A run that crashed during its rebuild may have left its staging table in the catalog.
            engine.execute(statements.dropStaging(StorageLayout.stagingTable(new RunId(carried.runId()))));
        }
        log.info("{}: latest table now at {} ({} rows, {} rebuild)", run, prefix, latestRows,
                incremental.isPresent() ? "incremental" : "full");
        StepCounts.record(contribution, 0, latestRows, 0);
        return RepeatStatus.FINISHED;
    }

    /**
     * The incremental CTAS, when this is a scheduled run whose predecessor finished a rebuild: it reads the
     * previous version plus the partitions this run and the runs it carries wrote ({@code common/latest_incremental}),
     * so its cost does not grow with the history. Empty otherwise (the first rebuild, {@code rebuild-latest}, or no
     * finished run within the recovery window): then the rebuild reads all of PIT.
     */
    private Optional<Statement> incrementalStatement(String staging, String prefix) {
        if (run.command() != Command.RUN || run.full() || recovery.get().lastPublished() == null) {
            return Optional.empty();
        }
        List<PitPartition> partitions = new ArrayList<>(manifest.get().manifest().pitPartitions());
        RunId since = run.runId();
        for (ManifestJournal.Entry carried : recovery.get().carried()) {
            partitions.addAll(carried.manifest().pitPartitions());
            RunId carriedId = new RunId(carried.runId());
            since = carriedId.compareTo(since) < 0 ? carriedId : since;
        }
        RunId from = since;
        return partitions.stream().map(PitPartition::requestDate).min(LocalDate::compareTo)
                .map(windowStart -> ports.statements().createLatestIncremental(staging, prefix, windowStart, from));
    }
}
