package dev.soi.bench;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.sql.Statement;
import dev.soi.core.sql.TableStatements;
import dev.soi.trino.Cancellation;
import dev.soi.trino.TrinoQueryEngine;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

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
        rebuildAsPlanned(engine, statements, units, name, since == null ? Map.of() : units.stream()
                .collect(java.util.stream.Collectors.toMap(u -> u, u -> windowStart)), since);
    }

    /**
     * As the batch plans it ({@code LatestPlanner}): from all of PIT when {@code since} is null; else each unit of
     * {@code windows} from its rows of the current version plus its PIT partitions from its window's start on, and every
     * other unit copied from the current version. Returns the compressed bytes Trino read from files for the whole
     * rebuild (its {@code physicalInputBytes}), -1 on an engine that does not count them.
     */
    static long rebuildAsPlanned(QueryEngine engine, TableStatements statements, List<BusinessUnit> units, String name,
                                 Map<BusinessUnit, LocalDate> windows, RunId since) {
        String staging = "security_of_interest_latest_stg_" + name.replace('-', '_');
        String version = StorageLayout.latestVersionPrefix(name);
        long bytes = 0;
        for (BusinessUnit unit : units) {
            String unitStaging = staging + "_" + unit.code().toLowerCase(java.util.Locale.ROOT);
            Statement select = since == null ? statements.latestUnitFromPit(unit)
                    : windows.containsKey(unit) ? statements.latestUnitIncremental(unit, windows.get(unit), since)
                    : statements.latestUnitCopy(unit);
            bytes += execute(engine, statements.createLatestUnit(unitStaging, LatestLayout.latestUnitPrefix(name, unit), select));
            engine.execute(statements.dropStaging(unitStaging));
        }
        engine.execute(statements.swapLatest(version, units));
        return engine instanceof TrinoQueryEngine ? bytes : -1;
    }

    private static long execute(QueryEngine engine, Statement statement) {
        if (engine instanceof TrinoQueryEngine trino) {
            return trino.execute(statement, new Cancellation());
        }
        engine.execute(statement);
        return 0;
    }
}
