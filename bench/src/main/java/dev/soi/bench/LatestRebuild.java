package dev.soi.bench;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.sql.TableStatements;
import java.time.LocalDate;
import java.util.List;

/**
 * A rebuild of the latest table as the batch's {@code rebuild-latest} step writes it: one statement per unit into the
 * unit's folder of version {@code name}, then one swap. Benchmarks time it; the batch's own step adds the checks and the
 * journal around the same statements.
 */
final class LatestRebuild {
    private LatestRebuild() {}

    /**
     * Rebuilds into {@code version=name/} and swaps it in: from all of PIT, or, when {@code since} is given, each unit
     * from its rows of the current version plus the PIT partitions from {@code windowStart} on.
     */
    static void rebuild(QueryEngine engine, TableStatements statements, List<BusinessUnit> units, String name,
                        LocalDate windowStart, RunId since) {
        String staging = "security_of_interest_latest_stg_" + name.replace('-', '_');
        String version = StorageLayout.latestVersionPrefix(name);
        for (BusinessUnit unit : units) {
            String unitStaging = staging + "_" + unit.code().toLowerCase(java.util.Locale.ROOT);
            engine.execute(statements.createLatestUnit(unitStaging, LatestLayout.latestUnitPrefix(name, unit),
                    since == null ? statements.latestUnitFromPit(unit) : statements.latestUnitIncremental(unit, windowStart, since)));
            engine.execute(statements.dropStaging(unitStaging));
        }
        engine.execute(statements.swapLatest(version, units));
    }
}
