package dev.soi.batch.latest;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one rebuild of the latest table writes: the version folder, the units it builds in it and the SELECT that gives
 * each unit's rows, the units the table's projection enumerates once it is swapped in, and how it is swapped in.
 *
 * @param version     the version folder's name
 * @param toBuild     the units this invocation builds, in order, each with its SELECT (a {@code common/latest_unit_*})
 * @param enumerated  the units of the version as the table's partition projection lists them
 * @param incremental built from the current version and the new runs' partitions, not from all of PIT
 * @param legacyTable the table still has an earlier release's shape (one location, no projection): swapped in by
 *                    dropping and creating it again, once
 * @param build       the full build under way this rebuild carries on, if it is one (and its record)
 */
record LatestPlan(String version, Map<BusinessUnit, Statement> toBuild, List<BusinessUnit> enumerated, boolean incremental,
                  boolean legacyTable, Optional<LatestBuild.Open> build) {
    LatestPlan {
        requireNonNull(version, "version");
        toBuild = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(toBuild));
        enumerated = List.copyOf(enumerated);
        requireNonNull(build, "build");
    }
}
