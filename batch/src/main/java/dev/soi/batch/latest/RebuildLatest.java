package dev.soi.batch.latest;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.journal.OwnManifest;
import dev.soi.batch.journal.Recovery;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.run.HeldLease;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.sql.TableStatements;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code rebuild-latest}: writes a new version of the latest table unit by unit ({@link LatestPlanner},
 * {@link UnitBuilds}) into {@code version={runId}/business_unit={unit}/}, creates a candidate table of the latest table's
 * shape over it, checks it ({@link LatestChecks}), records its files' keys and sizes in the run's manifest (what
 * {@code check-latest} compares with), and swaps it in after a fencing check: one catalog update, so readers see the old
 * version or the new one, never a mix. The run and the commits it carries become DONE only once the read model is
 * published from the new version (step {@code publish-read-model}). A full build that runs out of invocation time stops
 * between units without publishing anything (no swap, no read model, the runs stay COMMITTED); the next rebuild carries
 * it on. Write count: rows of the new version.
 */
public final class RebuildLatest implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(RebuildLatest.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final HeldLease lease;
    private final WriteOnce<Recovery> recovery;
    private final OwnManifest manifest;
    private final WriteOnce<Rebuilt> rebuilt;
    private final WriteOnce<LatestBuild.State> stopped;

    /**
     * @param rebuilt where it leaves the version it swapped in
     * @param stopped where it leaves a full build it stopped before every unit was done, for the next rebuild to carry on
     */
    public RebuildLatest(BatchPorts ports, RunContext run, HeldLease lease, WriteOnce<Recovery> recovery, OwnManifest manifest,
                         WriteOnce<Rebuilt> rebuilt, WriteOnce<LatestBuild.State> stopped) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.lease = requireNonNull(lease, "lease");
        this.recovery = requireNonNull(recovery, "recovery");
        this.manifest = requireNonNull(manifest, "manifest");
        this.rebuilt = requireNonNull(rebuilt, "rebuilt");
        this.stopped = requireNonNull(stopped, "stopped");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        QueryEngine engine = ports.engine();
        TableStatements statements = ports.statements();
        LatestPlan plan = new LatestPlanner(ports, run, recovery.get(), manifest).plan();
        dropLeftovers(plan);
        UnitBuilds.Built built = new UnitBuilds(ports, run).build(plan);
        if (!built.complete()) {
            stopped.set(built.build().orElseThrow().state());
            StepCounts.record(contribution, plan.toBuild().size(), 0, 0);
            return RepeatStatus.FINISHED;
        }
        ports.faults().at(FaultPoint.DURING_CTAS);

        String candidate = StorageLayout.stagingTable(run.runId());
        String prefix = StorageLayout.latestVersionPrefix(plan.version());
        engine.execute(statements.createLatestCandidate(candidate, prefix, plan.enumerated()));
        long latestRows;
        try {
            latestRows = new LatestChecks(ports, run).verify(candidate, prefix, plan.version());
        } catch (RuntimeException e) {
            // The refused version's folder is gone; a full build starts again from scratch next time.
            plan.build().ifPresent(b -> new LatestBuild(ports.store(), run.runId()).finish());
            throw e;
        }
        ports.faults().at(FaultPoint.BETWEEN_CTAS_AND_SWAP);

        lease.check();
        // The record goes before the swap: a crash between the two leaves the built version unpublished and forgotten
        // (it expires), and the next run rebuilds from the table as it is; a record outliving the swap would have a
        // later run build changed units again into a version readers already read.
        plan.build().ifPresent(b -> new LatestBuild(ports.store(), run.runId()).finish());
        manifest.recordLatestVersion(plan.version(), LatestDamage.filesOf(ports.store(), prefix));
        if (plan.legacyTable()) {
            log.warn("{}: the latest table still has the shape of an earlier release (one folder per version, no partition "
                    + "projection); it is dropped and created again at version {}: the one swap that is two catalog updates",
                    run, plan.version());
            engine.execute(statements.dropLatestTable());
            engine.execute(statements.createLatestTable(prefix, plan.enumerated()));
        } else {
            engine.execute(statements.swapLatest(prefix, plan.enumerated()));
        }
        rebuilt.set(new Rebuilt(plan.version(), latestRows, plan.incremental()));
        engine.execute(statements.dropStaging(candidate));
        log.info("{}: latest table now at {} ({} rows in {} units, {} rebuild)", run, prefix, latestRows, plan.enumerated().size(),
                plan.incremental() ? "incremental" : "full");
        StepCounts.record(contribution, plan.toBuild().size(), latestRows, 0);
        return RepeatStatus.FINISHED;
    }

    /**
     * A run that crashed during its rebuild may have left its candidate table, and the staging table of the unit it was
     * writing, in the catalog; the runs this one carries are those.
     */
    private void dropLeftovers(LatestPlan plan) {
        for (ManifestJournal.Entry carried : recovery.get().carried()) {
            RunId id = new RunId(carried.runId());
            ports.engine().execute(ports.statements().dropStaging(StorageLayout.stagingTable(id)));
            for (BusinessUnit unit : unitsOf(plan)) {
                ports.engine().execute(ports.statements().dropStaging(LatestLayout.unitStagingTable(id, unit)));
            }
        }
    }

    private static List<BusinessUnit> unitsOf(LatestPlan plan) {
        java.util.Set<BusinessUnit> units = new java.util.TreeSet<>((a, b) -> a.code().compareTo(b.code()));
        units.addAll(plan.enumerated());
        units.addAll(plan.toBuild().keySet());
        return List.copyOf(units);
    }
}
