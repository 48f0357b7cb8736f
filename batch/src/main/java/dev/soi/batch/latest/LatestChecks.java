package dev.soi.batch.latest;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.Folders;
import dev.soi.batch.run.RunContext;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.TableStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks a new latest version passes before the swap, read through its candidate table (the latest table's shape
 * over the new version, as readers will read it): no duplicate key; not wrongly empty (an empty version is right only
 * when every package's newest version is a tombstone, so the expected count is asked for only then); and the
 * publish guard: every package of the current version is still there, or was deleted by a newer tombstone. A version
 * that fails is dropped with its folder, and the run fails before the swap.
 */
final class LatestChecks {
    private static final Logger log = LoggerFactory.getLogger(LatestChecks.class);

    private final BatchPorts ports;
    private final RunContext run;

    LatestChecks(BatchPorts ports, RunContext run) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
    }

    /** The new version's rows, once every check passed. */
    long verify(String staging, String prefix, String version) {
        try {
            return check(staging, prefix, version);
        } catch (UnreadableCheck e) {
            throw refused(staging, prefix, "latest version " + version + " could not be verified: " + e.getMessage());
        }
    }

    private long check(String staging, String prefix, String version) {
        QueryEngine engine = ports.engine();
        TableStatements statements = ports.statements();
        QueryResult verification = engine.query(statements.verifyStaging(staging));
        long latestRows = number(verification, "row_count");
        long duplicateRows = number(verification, "duplicate_rows");
        // An empty version is right only when every package's newest version is a tombstone. Only then is the count a
        // full rebuild would give asked for: the one check that reads all of PIT, on a path a working table never takes.
        long expectedRows = latestRows == 0 ? number(engine.query(statements.countExpectedLatest()), "row_count") : latestRows;
        if (expectedRows != latestRows || duplicateRows != 0) {
            throw refused(staging, prefix, "latest version " + version + " failed verification: " + latestRows + " rows where "
                    + "all of PIT gives " + expectedRows + ", " + duplicateRows + " duplicate keys; the table was not swapped");
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
            log.warn("{}: the current latest version cannot be read ({}); publishing the full rebuild from PIT without "
                    + "comparing packages", run, e.getMessage());
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
        Folders.delete(ports.store(), prefix);
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
