package dev.soi.core.testing;

import static java.util.Objects.requireNonNull;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.PitRow;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.Statement;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A query engine that understands the product's statements by template name and tokens (never by their text), over an
 * {@link InMemoryObjectStore}: a catalog (registered partitions and their folders, staging and compaction tables, the
 * latest table's location), the PIT files of registered partitions read with a {@link PitFiles} reader, and the latest table with
 * the semantics of {@code common/latest_from_pit}. It passes the {@code QueryEngineContract}. {@link #reader()} is a
 * second engine over the same catalog, as a second process over one Glue catalog. Thread-safe.
 */
public final class InMemoryQueryEngine implements QueryEngine {
    /** How the engine reads a PIT file: its key and bytes to its rows (Parquet, by the tests' reader of it). */
    @FunctionalInterface
    public interface PitFiles {
        List<PitRow> read(String key, byte[] content);
    }

    /** How the engine writes a PIT file, as a CTAS does: the rows into the upload of the file's key, committed (Parquet, by the tests' writer). */
    @FunctionalInterface
    public interface PitFileWriter {
        void write(ObjectStore.Upload upload, String key, List<PitRow> rows) throws java.io.IOException;
    }

    private static final Comparator<PitRow> VERSION = Comparator.comparing(PitRow::eventTimestamp)
            .thenComparing(r -> r.submissionId().toString());
    private static final Comparator<PitRow> LATEST_ORDER = Comparator.comparing((PitRow r) -> r.businessUnit().code())
            .thenComparing(r -> r.packageName().value()).thenComparing(PitRow::referenceId);

    /** The catalog, shared by the engines over it. Guarded by itself. */
    private static final class Catalog {
        final Map<PitPartition, String> folders = new TreeMap<>();
        final Map<String, String> stagingTables = new HashMap<>();
        final Map<String, String> compactionTables = new HashMap<>();
        /** Rows written by each unit statement, by the unit folder's location. */
        final Map<String, List<PitRow>> unitRows = new HashMap<>();
        String latestLocation;
        /** Glue's archived table versions: one at a table's creation, one at each update of it. */
        final InMemoryCatalogVersions tableVersions = new InMemoryCatalogVersions();
    }

    private final InMemoryObjectStore store;
    private final PitFiles files;
    private final PitFileWriter writer;
    private final Catalog catalog;

    /** An engine that reads PIT files and cannot compact (it writes none). */
    public InMemoryQueryEngine(InMemoryObjectStore store, PitFiles files) {
        this(store, files, (upload, key, rows) -> {
            throw new UnsupportedOperationException("this in-memory engine was given no PIT file writer");
        });
    }

    public InMemoryQueryEngine(InMemoryObjectStore store, PitFiles files, PitFileWriter writer) {
        this(store, files, writer, new Catalog());
    }

    private InMemoryQueryEngine(InMemoryObjectStore store, PitFiles files, PitFileWriter writer, Catalog catalog) {
        this.store = requireNonNull(store, "store is null");
        this.files = requireNonNull(files, "files is null");
        this.writer = requireNonNull(writer, "writer is null");
        this.catalog = catalog;
    }

    /** Another engine over the same catalog and store. */
    public InMemoryQueryEngine reader() {
        return new InMemoryQueryEngine(store, files, writer, catalog);
    }

    @Override
    public void execute(Statement statement) {
        synchronized (catalog) {
            switch (statement.template()) {
                case "athena/create_database" -> { }
                case "athena/create_pit_table" -> {
                    if (catalog.tableVersions.count(StorageLayout.PIT_TABLE) == 0) {
                        catalog.tableVersions.updated(StorageLayout.PIT_TABLE);
                    }
                }
                case "athena/create_latest_table" -> createLatestTable(statement);
                case "athena/drop_latest_table" -> {
                    catalog.latestLocation = null;
                    catalog.tableVersions.dropped(StorageLayout.LATEST_TABLE);
                }
                case "athena/add_partitions" -> {
                    for (Statement spec : ((SqlToken.Fragment) statement.token("partitions")).parts()) {
                        PitPartition partition = partitionOf(spec);
                        String location = spec.tokenText("location");
                        if (!location.startsWith(store.location(StorageLayout.PIT_PREFIX)) || !location.endsWith(partition.path())) {
                            throw fail(statement, "partition location " + location + " is not a folder of " + partition.path());
                        }
                        catalog.folders.putIfAbsent(partition, InMemoryObjectStore.keyOf(location));
                    }
                }
                case "athena/create_latest_unit_ctas" -> createLatestUnit(statement);
                case "athena/swap_latest" -> {
                    String location = versionOf(statement);
                    if (catalog.unitRows.keySet().stream().noneMatch(k -> k.startsWith(location))) {
                        throw fail(statement, "no data was written to " + location);
                    }
                    catalog.latestLocation = location;
                    catalog.tableVersions.updated(StorageLayout.LATEST_TABLE);
                }
                case "athena/drop_staging_table" -> {
                    catalog.stagingTables.remove(statement.tokenText("staging_table"));
                    catalog.compactionTables.remove(statement.tokenText("staging_table"));
                }
                case "athena/compact_partition" -> compact(statement);
                case "athena/set_partition_location" -> {
                    PitPartition partition = partitionOf(statement);
                    if (!catalog.folders.containsKey(partition)) {
                        throw fail(statement, "partition " + partition.path() + " is not registered");
                    }
                    catalog.folders.put(partition, InMemoryObjectStore.keyOf(statement.tokenText("location")));
                }
                default -> throw fail(statement, "the in-memory engine does not run " + statement.template());
            }
        }
    }

    /** The latest table itself (if missing) or a candidate over a new version; both at the version their template names. */
    private void createLatestTable(Statement statement) {
        String table = statement.tokenText("table");
        if (table.equals(StorageLayout.LATEST_TABLE)) {
            if (catalog.latestLocation == null) {
                catalog.latestLocation = versionOf(statement);
                catalog.tableVersions.updated(StorageLayout.LATEST_TABLE);
            }
        } else {
            catalog.stagingTables.putIfAbsent(table, versionOf(statement));
        }
    }

    /** One unit's rows of a new version: the unit's rows as {@code common/latest_unit_*} give them, whichever it is. */
    private void createLatestUnit(Statement statement) {
        String table = statement.tokenText("staging_table");
        String location = statement.tokenText("location");
        if (catalog.stagingTables.containsKey(table)) {
            throw fail(statement, "table " + table + " already exists");
        }
        String prefix = InMemoryObjectStore.keyOf(location);
        if (!store.list(prefix).isEmpty()) {
            throw fail(statement, "target location " + location + " is not empty");
        }
        BusinessUnit unit = LatestLayout.latestUnitOf(prefix + "x").orElseThrow(() -> fail(statement, location + " is no unit folder"));
        List<PitRow> rows = latestFromPit(pit().stream().filter(r -> r.businessUnit().equals(unit)).toList());
        if (!rows.isEmpty()) {
            // As on S3, a statement that wrote no row leaves no object, so the unit's folder does not appear.
            StringBuilder data = new StringBuilder();
            rows.forEach(r -> data.append(r).append('\n'));
            store.put(prefix + "000000_0", data.toString().getBytes(StandardCharsets.UTF_8));
        }
        catalog.stagingTables.put(table, location);
        catalog.unitRows.put(location, rows);
    }

    /** The version folder a latest-table statement's location template names. */
    private String versionOf(Statement statement) {
        return ((SqlToken.LocationTemplate) statement.token("location_template")).prefix().uri();
    }

    /** A version's rows: those of every unit folder written under it. */
    private List<PitRow> versionRows(String location) {
        List<PitRow> rows = new ArrayList<>();
        catalog.unitRows.forEach((unitLocation, unitRows) -> {
            if (unitLocation.startsWith(location)) {
                rows.addAll(unitRows);
            }
        });
        rows.sort(LATEST_ORDER);
        return rows;
    }

    /** A bucketed CTAS of one partition: its rows into one file per non-empty bucket, named as the engine names them. */
    private void compact(Statement statement) {
        PitPartition partition = partitionOf(statement);
        String folder = InMemoryObjectStore.keyOf(statement.tokenText("location"));
        if (!store.list(folder).isEmpty()) {
            throw fail(statement, "target location " + statement.tokenText("location") + " is not empty");
        }
        String current = catalog.folders.get(partition);
        List<PitRow> rows = current == null ? List.of() : rowsIn(Map.of(partition, current));
        long buckets = ((SqlToken.Count) statement.token("bucket_count")).value();
        Map<Long, List<PitRow>> byBucket = new TreeMap<>();
        rows.forEach(r -> byBucket.computeIfAbsent(Math.floorMod((long) r.packageName().value().hashCode(), buckets),
                b -> new ArrayList<>()).add(r));
        byBucket.forEach((bucket, bucketRows) -> {
            String key = folder + String.format("%s_bucket-%05d", statement.tokenText("compaction_table"), bucket);
            try (ObjectStore.Upload upload = store.startUpload(key)) {
                writer.write(upload, key, bucketRows);
            } catch (java.io.IOException e) {
                throw fail(statement, "cannot write " + key + ": " + e.getMessage());
            }
        });
        catalog.compactionTables.put(statement.tokenText("compaction_table"), folder);
    }

    @Override
    public QueryResult query(Statement statement) {
        synchronized (catalog) {
            List<Object> p = statement.parameters();
            return switch (statement.template()) {
                case "testing/count_pit" -> count("row_count", pit().size());
                case "athena/pit_units" -> new QueryResult(List.of("business_unit"), catalog.folders.keySet().stream()
                        .map(partition -> partition.businessUnit().code()).distinct().sorted().map(u -> List.<Object>of(u)).toList());
                case "athena/count_expected_latest" -> count("row_count", latestFromPit(pit()).size());
                case "athena/count_missing_packages" -> {
                    Set<List<String>> previous = packages(latest());
                    Set<List<String>> staged = packages(staged(statement));
                    yield new QueryResult(List.of("previous_packages", "missing_packages"),
                            List.of(List.of((long) previous.size(), previous.stream().filter(k -> !staged.contains(k)).count())));
                }
                case "athena/count_lost_packages" -> count("lost_packages", lostPackages(staged(statement)));
                case "athena/count_out_of_order" -> outOfOrder(LocalDate.parse(((SqlToken.Literal) statement.token("window_start")).value()),
                        (String) p.get(0));
                case "athena/verify_staging" -> new QueryResult(List.of("row_count", "duplicate_rows"),
                        List.of(List.of((long) staged(statement).size(), 0L)));
                case "athena/partition_rows" -> partitionRows(partitionOf(statement));
                case "athena/partition_checksum" -> checksum(catalog.folders.containsKey(partitionOf(statement))
                        ? rowsIn(Map.of(partitionOf(statement), catalog.folders.get(partitionOf(statement)))) : List.of());
                case "athena/compaction_checksum" -> {
                    String folder = catalog.compactionTables.get(statement.tokenText("compaction_table"));
                    if (folder == null) {
                        throw fail(statement, "no table " + statement.tokenText("compaction_table"));
                    }
                    yield checksum(rowsIn(Map.of(StorageLayout.partitionOf(folder + "x.parquet").orElseThrow(), folder)));
                }
                case "athena/read_model_changes" -> readModel(((SqlToken.Literal) statement.token("window_start")).value(),
                        ((SqlToken.Literal) statement.token("since_run")).value(), true);
                case "athena/read_model_full" -> readModel(((SqlToken.Literal) statement.token("window_start")).value(), "", false);
                case "queries/latest_package" -> rows(List.of("reference_id", "event_timestamp", "submission_id"),
                        latest().stream().filter(r -> is(r, p.get(0), p.get(1))).toList(),
                        r -> Arrays.asList(r.referenceId(), r.eventTimestamp(), r.submissionId().toString()));
                case "queries/latest_unit" -> rows(List.of("package_name", "reference_id", "event_timestamp", "submission_id"),
                        latest().stream().filter(r -> r.businessUnit().code().equals(p.get(0))).toList(),
                        r -> Arrays.asList(r.packageName().value(), r.referenceId(), r.eventTimestamp(), r.submissionId().toString()));
                case "queries/latest_unit_page" -> latestUnitPage((String) p.get(0), ((Number) p.get(1)).longValue(),
                        ((Number) p.get(2)).longValue());
                case "queries/submission_applied" -> count("row_count", pit().stream().filter(r -> r.businessUnit().code().equals(p.get(0))
                        && r.requestDate().toString().equals(p.get(1)) && r.submissionId().toString().equals(p.get(2))).count());
                case "queries/package_as_of" -> packageAsOf((String) p.get(0), (String) p.get(1), (String) p.get(3));
                case "queries/package_history" -> packageHistory((String) p.get(0), (String) p.get(1));
                default -> throw fail(statement, "the in-memory engine does not query " + statement.template());
            };
        }
    }

    // ------------------------------------------------------------------ what the statements compute

    /** Rows of every registered partition, as a table scan reads them. */
    private List<PitRow> pit() {
        return rowsIn(catalog.folders);
    }

    /** Rows of the PIT files directly in each partition's folder (a folder never holds another). */
    private List<PitRow> rowsIn(Map<PitPartition, String> folders) {
        List<PitRow> rows = new ArrayList<>();
        for (String folder : folders.values()) {
            for (ObjectSummary object : store.list(folder)) {
                if (StorageLayout.partitionOf(object.key()).isPresent() && object.key().lastIndexOf('/') == folder.length() - 1) {
                    try {
                        rows.addAll(files.read(object.key(), store.get(object.key()).orElseThrow().content()));
                    } catch (RuntimeException e) {
                        // As an engine reports a damaged file: the statement fails, naming the file.
                        throw new QueryFailedException("pit", "cannot read " + store.location(object.key()) + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return rows;
    }

    /** The latest table's rows: per (unit, package) the newest (event_timestamp, submission_id) wins; a tombstone drops it. */
    private static List<PitRow> latestFromPit(List<PitRow> pit) {
        Map<List<String>, PitRow> winners = newest(pit);
        return pit.stream().filter(r -> r.referenceId() != null && VERSION.compare(r, winners.get(key(r))) == 0)
                .distinct().sorted(LATEST_ORDER).toList();
    }

    private static Map<List<String>, PitRow> newest(List<PitRow> rows) {
        Map<List<String>, PitRow> winners = new HashMap<>();
        rows.forEach(r -> winners.merge(key(r), r, (a, b) -> VERSION.compare(a, b) >= 0 ? a : b));
        return winners;
    }

    /** Packages of the current version that the staged one lacks and that no newer tombstone deleted. */
    private long lostPackages(List<PitRow> staged) {
        List<PitRow> pit = pit();
        Map<List<String>, PitRow> current = new HashMap<>();
        latest().forEach(r -> current.putIfAbsent(key(r), r));
        Set<List<String>> kept = packages(staged);
        return current.entrySet().stream().filter(e -> !kept.contains(e.getKey()))
                .filter(e -> pit.stream().noneMatch(r -> r.referenceId() == null && key(r).equals(e.getKey())
                        && VERSION.compare(r, e.getValue()) > 0))
                .count();
    }

    /** Submissions of run {@code run} stamped older than a version another run committed of the same package. */
    private QueryResult outOfOrder(LocalDate windowStart, String run) {
        List<PitRow> window = pit().stream().filter(r -> !r.requestDate().isBefore(windowStart)).toList();
        Map<List<String>, PitRow> newestOfOthers = newest(window.stream().filter(r -> !r.ingestRunId().equals(run)).toList());
        Set<String> late = new java.util.TreeSet<>();
        for (PitRow arrived : window) {
            PitRow applied = newestOfOthers.get(key(arrived));
            if (arrived.ingestRunId().equals(run) && applied != null && VERSION.compare(applied, arrived) > 0) {
                late.add(arrived.submissionId().toString());
            }
        }
        return new QueryResult(List.of("out_of_order", "example_submission_id"),
                List.of(Arrays.asList((long) late.size(), late.isEmpty() ? null : late.iterator().next())));
    }

    private QueryResult partitionRows(PitPartition partition) {
        List<PitRow> rows = new ArrayList<>(rowsIn(Map.of(partition, catalog.folders.get(partition))));
        rows.sort(Comparator.comparing((PitRow r) -> r.packageName().value())
                .thenComparing(PitRow::referenceId, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(r -> r.submissionId().toString()));
        return rows(List.of("reference_id", "package_name", "event_timestamp", "submission_id", "submitted_by", "ingest_run_id"),
                rows, r -> Arrays.asList(r.referenceId(), r.packageName().value(), r.eventTimestamp(), r.submissionId().toString(),
                        r.submittedBy(), r.ingestRunId()));
    }

    private QueryResult latestUnitPage(String unit, long after, long upTo) {
        Map<String, List<PitRow>> byPackage = new TreeMap<>();
        latest().stream().filter(r -> r.businessUnit().code().equals(unit))
                .forEach(r -> byPackage.computeIfAbsent(r.packageName().value(), k -> new ArrayList<>()).add(r));
        List<List<Object>> page = new ArrayList<>();
        long number = 0;
        for (Map.Entry<String, List<PitRow>> pkg : byPackage.entrySet()) {
            if (++number > after && number <= upTo) {
                page.add(List.of(pkg.getKey(), (long) pkg.getValue().size(),
                        pkg.getValue().stream().map(PitRow::eventTimestamp).max(Comparator.naturalOrder()).orElseThrow(),
                        pkg.getValue().stream().map(r -> r.submissionId().toString()).max(Comparator.naturalOrder()).orElseThrow()));
            }
        }
        return new QueryResult(List.of("package_name", "reference_ids_count", "event_timestamp", "submission_id"), page);
    }

    /** {@code athena/read_model_changes} and {@code athena/read_model_full}: the runs' versions, then the latest rows per package. */
    private QueryResult readModel(String windowStart, String sinceRun, boolean changedOnly) {
        Map<List<String>, List<PitRow>> written = new TreeMap<>(Comparator.comparing((List<String> k) -> String.join("\n", k)));
        pit().stream().filter(r -> r.requestDate().toString().compareTo(windowStart) >= 0 && r.ingestRunId().compareTo(sinceRun) >= 0)
                .forEach(r -> written.computeIfAbsent(List.of(r.businessUnit().code(), r.packageName().value(), r.submissionId().toString()),
                        k -> new ArrayList<>()).add(r));
        List<List<Object>> rows = new ArrayList<>();
        Set<List<String>> touched = new HashSet<>();
        written.forEach((k, versionRows) -> {
            touched.add(k.subList(0, 2));
            rows.add(Arrays.asList("run", k.get(0), k.get(1), k.get(2),
                    versionRows.stream().map(PitRow::eventTimestamp).max(Comparator.naturalOrder()).orElseThrow(),
                    versionRows.stream().filter(r -> r.referenceId() != null).count(), null));
        });
        Map<List<String>, List<PitRow>> packages = new TreeMap<>(Comparator.comparing((List<String> k) -> String.join("\n", k)));
        latest().stream().filter(r -> !changedOnly || touched.contains(key(r)))
                .forEach(r -> packages.computeIfAbsent(key(r), k -> new ArrayList<>()).add(r));
        packages.forEach((k, versionRows) -> rows.add(Arrays.asList("latest", k.get(0), k.get(1),
                versionRows.stream().map(r -> r.submissionId().toString()).max(Comparator.naturalOrder()).orElseThrow(),
                versionRows.stream().map(PitRow::eventTimestamp).max(Comparator.naturalOrder()).orElseThrow(),
                (long) versionRows.size(), versionRows.stream().map(PitRow::referenceId).sorted()
                        .map(String::valueOf).collect(java.util.stream.Collectors.joining(",")))));
        return new QueryResult(List.of("source", "business_unit", "package_name", "submission_id", "event_timestamp",
                "reference_ids_count", "reference_ids"), rows);
    }

    private QueryResult packageAsOf(String unit, String packageName, String asOf) {
        Instant at = Instant.parse(asOf.replace(' ', 'T') + "Z");
        List<PitRow> versions = pit().stream().filter(r -> is(r, unit, packageName) && !r.eventTimestamp().isAfter(at)).toList();
        PitRow newest = newest(versions).values().stream().findFirst().orElse(null);
        return rows(List.of("reference_id", "event_timestamp", "submission_id"), newest == null ? List.of() : versions.stream()
                        .filter(r -> r.referenceId() != null && VERSION.compare(r, newest) == 0)
                        .sorted(Comparator.comparing(PitRow::referenceId)).toList(),
                r -> Arrays.asList(r.referenceId(), r.eventTimestamp(), r.submissionId().toString()));
    }

    private QueryResult packageHistory(String unit, String packageName) {
        Map<PitRow, Long> ids = new TreeMap<>(VERSION.reversed());
        pit().stream().filter(r -> is(r, unit, packageName))
                .forEach(r -> ids.merge(r, r.referenceId() == null ? 0L : 1L, Long::sum));
        List<List<Object>> rows = new ArrayList<>();
        ids.forEach((r, count) -> rows.add(List.of(r.eventTimestamp(), r.submissionId().toString(), r.submittedBy(), r.ingestRunId(), count)));
        return new QueryResult(List.of("event_timestamp", "submission_id", "submitted_by", "ingest_run_id", "reference_ids_count"), rows);
    }

    /** Count and an order-independent sum of row hashes, as athena/partition_checksum computes them. */
    private static QueryResult checksum(List<PitRow> rows) {
        long sum = 0;
        for (PitRow r : rows) {
            sum += java.util.Objects.hash(r.referenceId(), r.packageName(), r.eventTimestamp(), r.submissionId(), r.submittedBy(),
                    r.ingestRunId()) * 0x9E3779B97F4A7C15L;
        }
        return new QueryResult(List.of("row_count", "checksum"), List.of(List.of((long) rows.size(), Long.toHexString(sum))));
    }

    // ------------------------------------------------------------------ helpers

    private List<PitRow> latest() {
        return catalog.latestLocation == null ? List.of() : versionRows(catalog.latestLocation);
    }

    private List<PitRow> staged(Statement statement) {
        String location = catalog.stagingTables.get(statement.tokenText("staging_table"));
        if (location == null) {
            throw fail(statement, "no table " + statement.tokenText("staging_table"));
        }
        return versionRows(location);
    }

    private static boolean is(PitRow row, Object unit, Object packageName) {
        return row.businessUnit().code().equals(unit) && row.packageName().value().equals(packageName);
    }

    private static List<String> key(PitRow row) {
        return List.of(row.businessUnit().code(), row.packageName().value());
    }

    private static Set<List<String>> packages(List<PitRow> rows) {
        Set<List<String>> packages = new HashSet<>();
        rows.forEach(r -> packages.add(key(r)));
        return packages;
    }

    private static QueryResult count(String column, long value) {
        return new QueryResult(List.of(column), List.of(List.of(value)));
    }

    private static QueryResult rows(List<String> columns, List<PitRow> rows, java.util.function.Function<PitRow, List<Object>> row) {
        return new QueryResult(columns, rows.stream().map(row).toList());
    }

    private static PitPartition partitionOf(Statement statement) {
        if (statement.template().equals("athena/partition_spec") || statement.template().equals("athena/set_partition_location")
                || statement.template().equals("athena/compact_partition")) {
            return new PitPartition(BusinessUnit.of(((SqlToken.Literal) statement.token("business_unit")).value()),
                    LocalDate.parse(((SqlToken.Literal) statement.token("request_date")).value()));
        }
        return new PitPartition(BusinessUnit.of((String) statement.parameters().get(0)), LocalDate.parse((String) statement.parameters().get(1)));
    }

    private static QueryFailedException fail(Statement statement, String reason) {
        return new QueryFailedException(statement.template(), reason, null);
    }

    // ------------------------------------------------------------------ what tests inspect

    /**
     * The catalog's archived table versions, as Glue keeps them for the statements this engine ran (a table's creation
     * and each swap are one version each; partitions are not versioned): what the batch prunes.
     */
    public InMemoryCatalogVersions catalogVersions() {
        return catalog.tableVersions;
    }

    /** The latest table's rows as a reader sees them now. */
    public List<PitRow> latestTable() {
        synchronized (catalog) {
            return List.copyOf(latest());
        }
    }

    public Set<PitPartition> registeredPartitions() {
        synchronized (catalog) {
            return Set.copyOf(catalog.folders.keySet());
        }
    }

    public Set<String> stagingTables() {
        synchronized (catalog) {
            return Set.copyOf(catalog.stagingTables.keySet());
        }
    }

    /**
     * Forgets the catalog as a lost Glue database would: tables, partitions and staging tables. The data written (PIT
     * files, version folders) stays, as it stays in S3.
     */
    public void loseCatalog() {
        synchronized (catalog) {
            catalog.folders.clear();
            catalog.stagingTables.clear();
            catalog.compactionTables.clear();
            catalog.latestLocation = null;
        }
    }
}
