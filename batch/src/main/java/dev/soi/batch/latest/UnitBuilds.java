package dev.soi.batch.latest;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.Folders;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.UnitsOfWork;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a plan's units into its version folder, one statement per unit ({@code athena/create_latest_unit_ctas}, its
 * staging table dropped right after). A full build starts a unit only if the invocation has time left for it (half as
 * much again as the longest unit so far; the first unit of an invocation always starts, so every invocation gets on),
 * records each unit done, and logs one line per unit with the units done of the total and the time left.
 */
final class UnitBuilds {
    private static final Logger log = LoggerFactory.getLogger(UnitBuilds.class);

    private final BatchPorts ports;
    private final RunContext run;

    UnitBuilds(BatchPorts ports, RunContext run) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
    }

    /** What a full build's invocation left: its record, and whether every unit is done. */
    record Built(Optional<LatestBuild.Open> build, boolean complete) {}

    Built build(LatestPlan plan) {
        Optional<LatestBuild.Open> build = plan.build();
        // A full build reports each unit (one log line, and ./soi rebuild-latest --full prints it as it goes).
        UnitsOfWork units = new UnitsOfWork(ports, run, "rebuild-latest", "units", plan.toBuild().size(), Duration.ZERO);
        Duration longest = Duration.ZERO;
        int built = 0;
        for (Map.Entry<BusinessUnit, Statement> unit : plan.toBuild().entrySet()) {
            if (build.isPresent() && built > 0 && !timeFor(longest)) {
                log.info("{}: latest version {} stopped for the invocation's deadline: {}. The next rebuild carries on from here "
                        + "(rebuild-latest --full, or the next scheduled run)", run, plan.version(), build.get().state().progress());
                return new Built(build, false);
            }
            long start = System.nanoTime();
            if (build.isPresent()) {
                units.begin();
            }
            String prefix = LatestLayout.latestUnitPrefix(plan.version(), unit.getKey());
            if (build.isPresent()) {
                // An invocation that died in this unit's statement may have left some of its files; a CTAS needs an empty folder.
                Folders.delete(ports.store(), prefix);
            }
            write(unit.getKey(), prefix, unit.getValue(), plan.incremental());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            longest = took.compareTo(longest) > 0 ? took : longest;
            built++;
            if (build.isPresent()) {
                build = Optional.of(new LatestBuild(ports.store(), run.runId()).unitDone(build.get(), unit.getKey(), took));
                units.done(unit.getKey().code() + " of version " + plan.version());
            } else {
                log.debug("{}: latest version {}: unit {} built in {} ms", run, plan.version(), unit.getKey().code(), took.toMillis());
            }
        }
        return new Built(build, true);
    }

    /** Whether the invocation can still take a unit as long as {@code longest} and half as much again. */
    private boolean timeFor(Duration longest) {
        Optional<Instant> deadline = ports.deadline().deadline();
        if (deadline.isEmpty()) {
            return true;
        }
        Duration left = Duration.between(ports.clock().instant(), deadline.get());
        return left.compareTo(longest.plus(longest.dividedBy(2))) > 0;
    }

    private void write(BusinessUnit unit, String prefix, Statement select, boolean incremental) {
        String staging = LatestLayout.unitStagingTable(run.runId(), unit);
        try {
            ports.engine().execute(ports.statements().createLatestUnit(staging, prefix, select));
        } catch (QueryFailedException e) {
            throw new IllegalStateException("unit " + unit.code() + " of the latest table could not be built: " + e.getMessage()
                    + ". If it names a " + (incremental ? "file of the current latest version, run rebuild-latest --full: it "
                    + "rebuilds from PIT alone into a new version. If it names a " : "")
                    + "PIT file, that file is damaged: restore it from the bucket's object versions, then run rebuild-latest --full", e);
        }
        ports.engine().execute(ports.statements().dropStaging(staging));
    }
}
