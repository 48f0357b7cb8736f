package dev.soi.core.sql;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.sql.SqlTemplates.tokens;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.SubmissionId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Every statement the product issues, rendered from {@code sql/} for one database. Knows template names
 * and tokens; callers know only domain verbs. Locations come from a function over store keys, so the same
 * statements point at {@code s3://} in AWS and at local paths on the local engines.
 */
public final class TableStatements {
    /** Partitions per ADD PARTITION statement; keeps statements far below Athena's 256 kB query limit. */
    public static final int PARTITIONS_PER_STATEMENT = 100;

    private static final java.time.format.DateTimeFormatter AS_OF_TIME = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final SqlTemplates templates;
    private final SqlToken.Identifier database;
    private final Function<String, String> locationOfKey;

    public TableStatements(SqlTemplates templates, String database, Function<String, String> locationOfKey) {
        this.templates = requireNonNull(templates, "templates");
        this.database = SqlToken.identifier(database);
        this.locationOfKey = requireNonNull(locationOfKey, "location of key");
    }

    public String database() {
        return database.name();
    }

    /** The template of {@link #createDatabase()}; engines run it outside the database it creates. */
    public static final String CREATE_DATABASE = "athena/create_database";

    public Statement createDatabase() {
        return templates.render(CREATE_DATABASE, tokens("database", database));
    }

    public Statement createPitTable() {
        return templates.render("athena/create_pit_table", tokens("database", database,
                "location", location(dev.soi.core.domain.StorageLayout.PIT_PREFIX)));
    }

    /**
     * The latest table at version folder {@code versionPrefix} holding {@code units}: partitioned by business unit through
     * partition projection, so {@link #swapLatest} can later move it to another version in one catalog update.
     */
    public Statement createLatestTable(String versionPrefix, Collection<BusinessUnit> units) {
        return latestTable(dev.soi.core.domain.StorageLayout.LATEST_TABLE, versionPrefix, units);
    }

    /**
     * A table of the latest table's exact shape over a new version, {@code table} a staging name: the checks before the
     * swap read the version as readers will once it is swapped in.
     */
    public Statement createLatestCandidate(String table, String versionPrefix, Collection<BusinessUnit> units) {
        checkArgument(!table.equals(dev.soi.core.domain.StorageLayout.LATEST_TABLE), "a candidate is not the latest table itself");
        return latestTable(table, versionPrefix, units);
    }

    private Statement latestTable(String table, String versionPrefix, Collection<BusinessUnit> units) {
        return templates.render("athena/create_latest_table", tokens("database", database,
                "table", SqlToken.identifier(table),
                "location", location(dev.soi.core.domain.StorageLayout.LATEST_PREFIX),
                "units", unitEnum(units),
                "location_template", locationTemplate(versionPrefix)));
    }

    /** One ADD IF NOT EXISTS PARTITION statement per {@value #PARTITIONS_PER_STATEMENT} partitions, sorted. */
    public List<Statement> addPartitions(List<PitPartition> partitions) {
        return addPartitions(partitions, dev.soi.core.domain.StorageLayout::partitionPrefix);
    }

    /**
     * As {@link #addPartitions(List)}, each partition registered at the folder {@code folderOf} gives (a store key
     * prefix): a compacted partition registered again keeps the folder the table reads. No partition, no statement.
     */
    public List<Statement> addPartitions(List<PitPartition> partitions, Function<PitPartition, String> folderOf) {
        List<PitPartition> sorted = partitions.stream().distinct().sorted().toList();
        List<Statement> statements = new ArrayList<>();
        for (int from = 0; from < sorted.size(); from += PARTITIONS_PER_STATEMENT) {
            List<Statement> specs = sorted.subList(from, Math.min(sorted.size(), from + PARTITIONS_PER_STATEMENT)).stream()
                    .map(p -> templates.render("athena/partition_spec", tokens(
                            "business_unit", SqlToken.literal(p.businessUnit().code()),
                            "request_date", SqlToken.literal(p.requestDate().toString()),
                            "location", location(folderOf.apply(p)))))
                    .toList();
            statements.add(templates.render("athena/add_partitions", tokens("database", database,
                    "partitions", SqlToken.fragment(specs, "\n"))));
        }
        return statements;
    }

    // ------------------------------------------------------------------ compaction

    /** Every row of one PIT partition, sorted as the writer sorts a file (for reading a partition back: tests and tools). */
    public Statement partitionRows(PitPartition partition) {
        return templates.render("athena/partition_rows", tokens("database", database),
                partition.businessUnit().code(), partition.requestDate().toString());
    }

    /** Row count and order-independent checksum of one PIT partition as the table reads it now. */
    public Statement partitionChecksum(PitPartition partition) {
        return templates.render("athena/partition_checksum", tokens("database", database),
                partition.businessUnit().code(), partition.requestDate().toString());
    }

    /**
     * Rewrites {@code partition} inside the engine into {@code files} files under the folder {@code folderKey}, and makes
     * {@code table} over them (for {@link #compactionChecksum}; dropped with {@link #dropStaging}).
     */
    public Statement compactPartition(String table, PitPartition partition, String folderKey, int files) {
        checkArgument(files >= 1, "a compaction writes at least one file: %d", files);
        return templates.render("athena/compact_partition", tokens("database", database,
                "compaction_table", SqlToken.identifier(table), "location", location(folderKey),
                "bucket_count", SqlToken.count(files),
                "business_unit", SqlToken.literal(partition.businessUnit().code()),
                "request_date", SqlToken.literal(partition.requestDate().toString())));
    }

    /** Row count and checksum of the files under a compaction table. */
    public Statement compactionChecksum(String table) {
        return templates.render("athena/compaction_checksum", tokens("database", database,
                "compaction_table", SqlToken.identifier(table)));
    }

    /** Points {@code partition} at the folder {@code folderKey}: one catalog update. */
    public Statement setPartitionLocation(PitPartition partition, String folderKey) {
        return templates.render("athena/set_partition_location", tokens("database", database,
                "business_unit", SqlToken.literal(partition.businessUnit().code()),
                "request_date", SqlToken.literal(partition.requestDate().toString()),
                "location", location(folderKey)));
    }

    /**
     * CTAS of one unit's rows of a new latest version into {@code unitPrefix} (its folder of the version, from
     * {@code LatestLayout.latestUnitPrefix}), bucketed as the latest table; {@code select} is one of the
     * {@code latestUnit*} fragments below.
     */
    public Statement createLatestUnit(String stagingTable, String unitPrefix, Statement select) {
        checkArgument(unitPrefix.endsWith("/"), "unit prefix must end with /: %s", unitPrefix);
        return templates.render("athena/create_latest_unit_ctas", tokens("database", database,
                "staging_table", SqlToken.identifier(stagingTable),
                "location", location(unitPrefix),
                "select", SqlToken.fragment(List.of(select), "")));
    }

    /** One unit's latest rows from all of its PIT partitions. */
    public Statement latestUnitFromPit(BusinessUnit unit) {
        return templates.render("common/latest_unit_from_pit", tokens("database", database,
                "business_unit", SqlToken.literal(unit.code())));
    }

    /**
     * One unit's latest rows from its rows in the current latest version plus the PIT rows of runs {@code sinceRun} and
     * later, reading only its partitions from {@code windowStart} on (see {@code sql/common/latest_unit_incremental.sql}).
     */
    public Statement latestUnitIncremental(BusinessUnit unit, java.time.LocalDate windowStart, dev.soi.core.domain.RunId sinceRun) {
        return templates.render("common/latest_unit_incremental", tokens("database", database,
                "business_unit", SqlToken.literal(unit.code()),
                "window_start", SqlToken.literal(windowStart.toString()),
                "since_run", SqlToken.literal(sinceRun.value())));
    }

    /** One unit's rows of the current latest version, for a unit no new row touched. */
    public Statement latestUnitCopy(BusinessUnit unit) {
        return templates.render("common/latest_unit_copy", tokens("database", database,
                "business_unit", SqlToken.literal(unit.code())));
    }

    /** The business units that have PIT partitions in the catalog (partition metadata only). */
    public Statement pitUnits() {
        return templates.render("athena/pit_units", tokens("database", database));
    }

    public Statement verifyStaging(String stagingTable) {
        return templates.render("athena/verify_staging", tokens("database", database,
                "staging_table", SqlToken.identifier(stagingTable)));
    }

    /** The publish guard's cheap half: packages of the current latest version, and how many the staging one lacks. */
    public Statement countMissingPackages(String stagingTable) {
        return templates.render("athena/count_missing_packages", tokens("database", database,
                "staging_table", SqlToken.identifier(stagingTable)));
    }

    /** The publish guard's second half: packages the staging version lacks with no newer tombstone in PIT. */
    public Statement countLostPackages(String stagingTable) {
        return templates.render("athena/count_lost_packages", tokens("database", database,
                "staging_table", SqlToken.identifier(stagingTable)));
    }

    /** Rows a full rebuild would produce now; the check behind an empty new version. */
    public Statement countExpectedLatest() {
        Statement select = templates.render("common/latest_from_pit", tokens("database", database));
        return templates.render("athena/count_expected_latest", tokens("select", SqlToken.fragment(List.of(select), "")));
    }

    /** Points the latest table at version folder {@code versionPrefix}, holding {@code units}: one catalog update. */
    public Statement swapLatest(String versionPrefix, Collection<BusinessUnit> units) {
        return templates.render("athena/swap_latest", tokens("database", database,
                "units", unitEnum(units),
                "location_template", locationTemplate(versionPrefix)));
    }

    /**
     * How many of run {@code run}'s submissions arrived stamped older than a version of their package another run had
     * already committed, reading only the partitions from {@code windowStart} on (the run's earliest request_date).
     */
    public Statement countOutOfOrder(java.time.LocalDate windowStart, dev.soi.core.domain.RunId run) {
        return templates.render("athena/count_out_of_order", tokens("database", database,
                "window_start", SqlToken.literal(windowStart.toString())), run.value(), run.value());
    }

    /** Forgets a latest table of an earlier release's shape, which {@link #swapLatest} cannot move; its files stay. */
    public Statement dropLatestTable() {
        return templates.render("athena/drop_latest_table", tokens("database", database));
    }

    public Statement dropStaging(String stagingTable) {
        return templates.render("athena/drop_staging_table", tokens("database", database,
                "staging_table", SqlToken.identifier(stagingTable)));
    }

    /**
     * What the read model publishes after a swap: the versions the runs from {@code sinceRun} on wrote in the partitions
     * from {@code windowStart} on, and the latest-table rows of the packages they touched, one row per package.
     */
    public Statement readModelChanges(java.time.LocalDate windowStart, String sinceRun) {
        return templates.render("athena/read_model_changes", tokens("database", database,
                "window_start", SqlToken.literal(windowStart.toString()), "since_run", SqlToken.literal(sinceRun)));
    }

    /** The whole read model: every package of the latest table, and the versions written in partitions from {@code windowStart} on. */
    public Statement readModelFull(java.time.LocalDate windowStart) {
        return templates.render("athena/read_model_full", tokens("database", database,
                "window_start", SqlToken.literal(windowStart.toString())));
    }

    public Statement latestPackage(BusinessUnit unit, PackageName packageName) {
        return templates.render("queries/latest_package", tokens("database", database), unit.code(), packageName.value());
    }

    public Statement latestUnit(BusinessUnit unit) {
        return templates.render("queries/latest_unit", tokens("database", database), unit.code());
    }

    /**
     * Rows {@code fromRow} (0-based, inclusive) to {@code toRow} (exclusive) of the unit's packages in the latest
     * table, ordered by package name, one row per package with its id count.
     */
    public Statement latestUnitPage(BusinessUnit unit, long fromRow, long toRow) {
        return templates.render("queries/latest_unit_page", tokens("database", database), unit.code(), fromRow, toRow);
    }

    /** The ids of a package as they stood at {@code asOf}: its newest version then, unless that was a deletion. */
    public Statement packageAsOf(BusinessUnit unit, PackageName packageName, java.time.Instant asOf) {
        java.time.LocalDateTime utc = java.time.LocalDateTime.ofInstant(asOf, ZoneOffset.UTC);
        String text = utc.toLocalDate() + " " + AS_OF_TIME.format(utc);
        return templates.render("queries/package_as_of", tokens("database", database),
                unit.code(), packageName.value(), utc.toLocalDate().toString(), text);
    }

    /** Every version of a package, newest first, with its id count (0 for a deletion). */
    public Statement packageHistory(BusinessUnit unit, PackageName packageName) {
        return templates.render("queries/package_history", tokens("database", database), unit.code(), packageName.value());
    }

    public Statement submissionApplied(BusinessUnit unit, SubmissionId id) {
        String requestDate = id.timestamp().atOffset(ZoneOffset.UTC).toLocalDate().toString();
        return templates.render("queries/submission_applied", tokens("database", database), unit.code(), requestDate, id.toString());
    }

    /** The partition projection's enum: the units' codes, sorted, comma-separated. */
    private static SqlToken.Literal unitEnum(Collection<BusinessUnit> units) {
        java.util.SortedSet<String> codes = new java.util.TreeSet<>();
        units.forEach(u -> codes.add(u.code()));
        checkArgument(!codes.isEmpty(), "the latest table's partition projection needs at least one business unit");
        return SqlToken.literal(String.join(",", codes));
    }

    private SqlToken.LocationTemplate locationTemplate(String versionPrefix) {
        checkArgument(versionPrefix.endsWith("/"), "version prefix must end with /: %s", versionPrefix);
        return SqlToken.locationTemplate(locationOfKey.apply(versionPrefix), dev.soi.core.domain.LatestLayout.LATEST_PARTITION_COLUMN);
    }

    private SqlToken.Location location(String keyPrefix) {
        return SqlToken.location(locationOfKey.apply(keyPrefix));
    }
}
