package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.manifest.ManifestJournal;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
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
 * Step {@code rebuild-latest}: CTAS of the latest table into {@code version={runId}/}, verified, then swapped in
 * after a fencing check; the run and the commits it carries are then DONE. Skipped when the run opened no
 * manifest (nothing changed), so a quiet run issues no statement. Write count: rows of the new version.
 */
public final class RebuildLatest implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(RebuildLatest.class);

    private final BatchPorts ports;
    private final RollBack cleanup;

    public RebuildLatest(BatchPorts ports, RollBack cleanup) {
        this.ports = requireNonNull(ports, "ports");
        this.cleanup = requireNonNull(cleanup, "cleanup");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        RunState run = RunState.of(contribution);
        if (run.manifest() == null) {
            return RepeatStatus.FINISHED;
        }
        QueryEngine engine = ports.engine();
        TableStatements statements = ports.statements();
        String staging = StorageLayout.stagingTable(run.runId());
        String version = run.runId().value();
        String prefix = StorageLayout.latestVersionPrefix(version);
        Optional<Statement> incremental = incrementalStatement(run, staging, prefix);
        try {
            engine.execute(incremental.orElseGet(() -> statements.createLatestFromPit(staging, prefix)));
        } catch (QueryFailedException e) {
            throw new IllegalStateException("the latest table could not be built: " + e.getMessage() + ". If it names a "
                    + (incremental.isPresent() ? "file of the current latest version, run rebuild-latest --full: it rebuilds "
                    + "from PIT alone into a new version. If it names a " : "")
                    + "PIT file, that file is damaged: restore it from the bucket's object versions, then run rebuild-latest --full", e);
        }
        ports.faults().at(FaultPoint.DURING_CTAS);
        long latestRows = verify(run, staging, prefix, version);
        ports.faults().at(FaultPoint.BETWEEN_CTAS_AND_SWAP);

        ports.lease().checkHeld(run.lease());
        ManifestJournal journal = run.journal();
        run.manifest(journal.recordLatestVersion(run.manifest(), version));
        engine.execute(statements.swapLatest(prefix));
        run.rebuilt(new RunState.Rebuilt(version, latestRows, incremental.isPresent()));
        engine.execute(statements.dropStaging(staging));
        for (ManifestJournal.Entry carried : run.recovery().carried()) {
            // A run that crashed during its rebuild may have left its staging table in the catalog.
            engine.execute(statements.dropStaging(StorageLayout.stagingTable(new RunId(carried.runId()))));
        }
        log.info("{} {}: latest table now at {} ({} rows, {} rebuild)", run.command().label(), run.runId(), prefix, latestRows,
                incremental.isPresent() ? "incremental" : "full");
        for (ManifestJournal.Entry carried : run.recovery().carried()) {
            journal.markDone(carried, null);
        }
        run.manifest(journal.markDone(run.manifest(), StepTimings.finished(contribution.getStepExecution().getJobExecution())));
        StepCounts.record(contribution, 0, latestRows, 0);
        return RepeatStatus.FINISHED;
    }

    /**
     * The incremental CTAS, when this is a scheduled run whose predecessor finished a rebuild: it reads the
     * previous version plus the partitions this run and the runs it carries wrote ({@code common/latest_incremental}),
     * so its cost does not grow with the history. Empty otherwise (the first rebuild, {@code rebuild-latest}, or no
     * finished run within the recovery window): then the rebuild reads all of PIT.
     */
    private Optional<Statement> incrementalStatement(RunState run, String staging, String prefix) {
        if (run.command() != Command.RUN || run.full() || run.recovery().lastPublished() == null) {
            return Optional.empty();
        }
        List<PitPartition> partitions = new ArrayList<>(run.manifest().manifest().pitPartitions());
        RunId since = run.runId();
        for (ManifestJournal.Entry carried : run.recovery().carried()) {
            partitions.addAll(carried.manifest().pitPartitions());
            RunId carriedId = new RunId(carried.runId());
            since = carriedId.compareTo(since) < 0 ? carriedId : since;
        }
        RunId from = since;
        return partitions.stream().map(PitPartition::requestDate).min(LocalDate::compareTo)
                .map(windowStart -> ports.statements().createLatestIncremental(staging, prefix, windowStart, from));
    }

    /**
     * The pre-swap checks: no duplicate key; not wrongly empty (an empty version is right only when every package's
     * newest version is a tombstone, so the expected count is asked for only then); and the publish guard: every
     * package of the current version is still there, or was deleted by a newer tombstone. A version that fails is
     * dropped with its folder, and the run fails before the swap.
     */
    private long verify(RunState run, String staging, String prefix, String version) {
        try {
            return check(run, staging, prefix, version);
        } catch (UnreadableCheck e) {
            throw refused(staging, prefix, "latest version " + version + " could not be verified: " + e.getMessage());
        }
    }

    private long check(RunState run, String staging, String prefix, String version) {
        QueryEngine engine = ports.engine();
        TableStatements statements = ports.statements();
        long pitRows = number(engine.query(statements.countPit()), "row_count");
        QueryResult verification = engine.query(statements.verifyStaging(staging));
        long latestRows = number(verification, "row_count");
        long duplicateRows = number(verification, "duplicate_rows");
        boolean wronglyEmpty = pitRows > 0 && latestRows == 0
                && number(engine.query(statements.countExpectedLatest()), "row_count") > 0;
        if (wronglyEmpty || duplicateRows != 0) {
            throw refused(staging, prefix, "latest version " + version + " failed verification: " + latestRows + " rows from "
                    + pitRows + " PIT rows, " + duplicateRows + " duplicate keys; the table was not swapped");
        }
        QueryResult missing;
        try {
            missing = engine.query(statements.countMissingPackages(staging));
        } catch (QueryFailedException e) {
            if (!run.full()) {
                throw new IllegalStateException("the new latest version could not be checked against the current one: "
                        + e.getMessage() + ". If this persists, the current version may be damaged: rebuild-latest --full "
                        + "rebuilds from all of PIT and replaces it", e);
            }
            // rebuild-latest --full is the repair of a damaged current version: it read every partition in the store.
            log.warn("{} {}: the current latest version cannot be read ({}); "
                    + "publishing the full rebuild from PIT without comparing packages", run.command().label(), run.runId(), e.getMessage());
            return latestRows;
        }
        long previousPackages = number(missing, "previous_packages");
        long missingPackages = number(missing, "missing_packages");
        if (missingPackages > 0) {
            long lost = number(engine.query(statements.countLostPackages(staging)), "lost_packages");
            if (lost > 0) {
                throw refused(staging, prefix, "latest version " + version + " would lose " + lost + " of the " + previousPackages
                        + " packages of the current latest table (" + missingPackages + " missing, " + (missingPackages - lost)
                        + " of them deleted by tombstones), so it was not swapped. A package leaves the latest table only "
                        + "through a tombstone; this one lacks PIT data the catalog does not see (a lost or recreated PIT "
                        + "table, a partition missing from the catalog, a file gone). Repair: rebuild-latest --full "
                        + "(./soi rebuild-latest --full; Lambda {\"command\":\"rebuild-latest\",\"full\":true}) registers "
                        + "every partition in the store and rebuilds from all of PIT.");
            }
        }
        return latestRows;
    }

    /** Drops the refused version's staging table and folder; the caller throws what this returns. */
    private IllegalStateException refused(String staging, String prefix, String reason) {
        ports.engine().execute(ports.statements().dropStaging(staging));
        cleanup.deleteAll(prefix);
        return new IllegalStateException(reason);
    }

    /**
     * The one number an aggregate check returned. Every check is an aggregate without GROUP BY, which always
     * answers one row: no row means the engine or its adapter misread the answer, and a check that cannot be read
     * must refuse the swap rather than pass as zero.
     */
    private static long number(QueryResult result, String column) {
        if (result.rows().size() != 1) {
            throw new UnreadableCheck("its check answered " + result.rows().size() + " rows instead of one (column "
                    + column + "), so the query engine or its adapter misread the answer; the table was not swapped");
        }
        Object value = result.value(0, column);
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** A check whose answer is not the one row an aggregate returns. */
    private static final class UnreadableCheck extends IllegalStateException {
        UnreadableCheck(String message) {
            super(message);
        }
    }
}
