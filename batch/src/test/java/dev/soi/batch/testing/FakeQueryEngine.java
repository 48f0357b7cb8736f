package dev.soi.batch.testing;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.PitRow;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.Statement;
import dev.soi.core.testing.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * A query engine that understands our statements by template name and tokens (never by their text), over
 * an {@link InMemoryObjectStore}: it keeps a catalog (registered partitions, staging tables, the latest
 * table's location), reads the PIT Parquet files of registered partitions, and computes the latest table
 * with the semantics of {@code common/latest_from_pit}. Thread-safe.
 */
public final class FakeQueryEngine implements QueryEngine {
    private final InMemoryObjectStore store;
    private final Set<PitPartition> partitions = new ConcurrentSkipListSet<>();
    /** The folder (store key prefix) each registered partition is read from. */
    private final Map<PitPartition, String> folders = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final Map<String, String> compactionTables = new HashMap<>();
    private final Map<String, String> stagingTables = new HashMap<>();
    private final Map<String, Set<LatestRow>> versions = new HashMap<>();
    private volatile String latestLocation;

    public FakeQueryEngine(InMemoryObjectStore store) {
        this.store = store;
    }

    @Override
    public synchronized void execute(Statement statement) {
        switch (statement.template()) {
            case "athena/create_database", "athena/create_pit_table" -> { }
            case "athena/create_latest_table" -> {
                if (latestLocation == null) {
                    latestLocation = statement.tokenText("location");
                    versions.putIfAbsent(latestLocation, Set.of());
                }
            }
            case "athena/add_partitions" -> {
                SqlToken.Fragment specs = (SqlToken.Fragment) statement.token("partitions");
                for (Statement spec : specs.parts()) {
                    PitPartition partition = new PitPartition(
                            BusinessUnit.of(((SqlToken.Literal) spec.token("business_unit")).value()),
                            LocalDate.parse(((SqlToken.Literal) spec.token("request_date")).value()));
                    String location = spec.tokenText("location");
                    if (!location.startsWith(store.location(dev.soi.core.domain.StorageLayout.PIT_PREFIX)) || !location.endsWith(partition.path())) {
                        throw fail(statement, "partition location " + location + " is not a folder of " + partition.path());
                    }
                    if (partitions.add(partition)) {
                        folders.put(partition, InMemoryObjectStore.keyOf(location));
                    }
                }
            }
            case "athena/create_latest_ctas" -> {
                String table = statement.tokenText("staging_table");
                String location = statement.tokenText("location");
                if (stagingTables.containsKey(table)) {
                    throw fail(statement, "table " + table + " already exists");
                }
                String prefix = InMemoryObjectStore.keyOf(location);
                if (!store.list(prefix).isEmpty()) {
                    throw fail(statement, "target location " + location + " is not empty");
                }
                Set<LatestRow> rows = latestFromPit();
                StringBuilder data = new StringBuilder();
                rows.forEach(r -> data.append(r).append('\n'));
                store.put(prefix + "part-00000.txt", data.toString().getBytes(StandardCharsets.UTF_8));
                stagingTables.put(table, location);
                versions.put(location, rows);
            }
            case "athena/swap_latest" -> {
                String location = statement.tokenText("location");
                if (!versions.containsKey(location)) {
                    throw fail(statement, "no data was written to " + location);
                }
                latestLocation = location;
            }
            case "athena/drop_staging_table" -> {
                stagingTables.remove(statement.tokenText("staging_table"));
                compactionTables.remove(statement.tokenText("staging_table"));
            }
            case "athena/create_compaction_table" -> compactionTables.put(statement.tokenText("compaction_table"),
                    InMemoryObjectStore.keyOf(statement.tokenText("location")));
            case "athena/set_partition_location" -> {
                PitPartition partition = new PitPartition(
                        BusinessUnit.of(((SqlToken.Literal) statement.token("business_unit")).value()),
                        LocalDate.parse(((SqlToken.Literal) statement.token("request_date")).value()));
                if (!partitions.contains(partition)) {
                    throw fail(statement, "partition " + partition.path() + " is not registered");
                }
                folders.put(partition, InMemoryObjectStore.keyOf(statement.tokenText("location")));
            }
            default -> throw fail(statement, "the fake engine does not run " + statement.template());
        }
    }

    @Override
    public synchronized QueryResult query(Statement statement) {
        switch (statement.template()) {
            case "athena/count_pit" -> {
                return new QueryResult(List.of("row_count"), List.of(List.of((long) PitFiles.rowsIn(store, folders).size())));
            }
            case "athena/count_expected_latest" -> {
                return new QueryResult(List.of("row_count"), List.of(List.of((long) latestFromPit().size())));
            }
            case "athena/count_missing_packages" -> {
                Set<List<String>> previous = packages(latestTable());
                Set<List<String>> staged = packages(staged(statement));
                long missing = previous.stream().filter(p -> !staged.contains(p)).count();
                return new QueryResult(List.of("previous_packages", "missing_packages"), List.of(List.of((long) previous.size(), missing)));
            }
            case "athena/count_lost_packages" -> {
                Set<List<String>> staged = packages(staged(statement));
                Map<List<String>, PitRow> previous = new HashMap<>();
                Set<LatestRow> current = latestTable();
                List<PitRow> pit = PitFiles.rowsIn(store, folders);
                for (PitRow row : pit) {
                    List<String> key = List.of(row.businessUnit().code(), row.packageName().value());
                    if (row.referenceId() != null && current.contains(new LatestRow(key.get(0), key.get(1), row.referenceId(),
                            row.submissionId().toString()))) {
                        previous.put(key, row);
                    }
                }
                long lost = 0;
                for (List<String> pkg : packages(current)) {
                    if (staged.contains(pkg)) {
                        continue;
                    }
                    PitRow held = previous.get(pkg);
                    boolean tombstoned = pit.stream().anyMatch(r -> r.referenceId() == null
                            && List.of(r.businessUnit().code(), r.packageName().value()).equals(pkg)
                            && (held == null || VERSION.compare(r, held) > 0));
                    if (!tombstoned) {
                        lost++;
                    }
                }
                return new QueryResult(List.of("lost_packages"), List.of(List.of(lost)));
            }
            case "athena/verify_staging" -> {
                String location = stagingTables.get(statement.tokenText("staging_table"));
                if (location == null) {
                    throw fail(statement, "no table " + statement.tokenText("staging_table"));
                }
                long rows = versions.get(location).size();
                return new QueryResult(List.of("row_count", "duplicate_rows"), List.of(List.of(rows, 0L)));
            }
            case "athena/partition_rows" -> {
                List<PitRow> rows = new ArrayList<>(PitFiles.rowsIn(store, Map.of(partitionOf(statement), folders.get(partitionOf(statement)))));
                rows.sort(Comparator.comparing((PitRow r) -> r.packageName().value())
                        .thenComparing(PitRow::referenceId, Comparator.nullsFirst(Comparator.naturalOrder()))
                        .thenComparing(r -> r.submissionId().toString()));
                List<List<Object>> out = new ArrayList<>();
                for (PitRow r : rows) {
                    out.add(java.util.Arrays.asList(r.referenceId(), r.packageName().value(), r.eventTimestamp(), r.submissionId().toString(),
                            r.submittedBy(), r.ingestRunId()));
                }
                return new QueryResult(List.of("reference_id", "package_name", "event_timestamp", "submission_id", "submitted_by",
                        "ingest_run_id"), out);
            }
            case "athena/partition_checksum" -> {
                PitPartition partition = partitionOf(statement);
                return checksum(folders.containsKey(partition) ? PitFiles.rowsIn(store, Map.of(partition, folders.get(partition))) : List.of());
            }
            case "athena/compaction_checksum" -> {
                String folder = compactionTables.get(statement.tokenText("compaction_table"));
                if (folder == null) {
                    throw fail(statement, "no table " + statement.tokenText("compaction_table"));
                }
                PitPartition partition = dev.soi.core.domain.StorageLayout.partitionOf(folder + "x.parquet").orElseThrow();
                return checksum(PitFiles.rowsIn(store, Map.of(partition, folder)));
            }
            default -> throw fail(statement, "the fake engine does not query " + statement.template());
        }
    }

    private static final Comparator<PitRow> VERSION = Comparator.comparing(PitRow::eventTimestamp)
            .thenComparing(r -> r.submissionId().toString());

    private Set<LatestRow> staged(Statement statement) {
        String location = stagingTables.get(statement.tokenText("staging_table"));
        if (location == null) {
            throw fail(statement, "no table " + statement.tokenText("staging_table"));
        }
        return versions.get(location);
    }

    private static Set<List<String>> packages(Set<LatestRow> rows) {
        Set<List<String>> packages = new java.util.HashSet<>();
        rows.forEach(r -> packages.add(List.of(r.businessUnit(), r.packageName())));
        return packages;
    }

    /**
     * Forgets the catalog as a lost Glue database would: tables, partitions and staging tables. The data written
     * (PIT files, version folders) stays, as it stays in S3.
     */
    public synchronized void loseCatalog() {
        partitions.clear();
        folders.clear();
        stagingTables.clear();
        latestLocation = null;
    }

    private static PitPartition partitionOf(Statement statement) {
        return new PitPartition(BusinessUnit.of((String) statement.parameters().get(0)), LocalDate.parse((String) statement.parameters().get(1)));
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

    /** The latest-table semantics: per (unit, package) the newest (event_timestamp, submission_id) wins; tombstones drop. */
    private Set<LatestRow> latestFromPit() {
        List<PitRow> rows = PitFiles.rowsIn(store, folders);
        Comparator<PitRow> version = VERSION;
        Map<List<String>, PitRow> winners = new HashMap<>();
        for (PitRow row : rows) {
            winners.merge(List.of(row.businessUnit().code(), row.packageName().value()), row,
                    (a, b) -> version.compare(a, b) >= 0 ? a : b);
        }
        Set<LatestRow> latest = new TreeSet<>(Comparator.comparing(LatestRow::businessUnit).thenComparing(LatestRow::packageName)
                .thenComparingLong(LatestRow::referenceId).thenComparing(LatestRow::submissionId));
        for (PitRow row : rows) {
            PitRow winner = winners.get(List.of(row.businessUnit().code(), row.packageName().value()));
            if (row.referenceId() != null && version.compare(row, winner) == 0) {
                latest.add(new LatestRow(row.businessUnit().code(), row.packageName().value(), row.referenceId(),
                        row.submissionId().toString()));
            }
        }
        return latest;
    }

    private static QueryFailedException fail(Statement statement, String reason) {
        return new QueryFailedException(statement.template(), reason, null);
    }

    public synchronized Set<LatestRow> latestTable() {
        return latestLocation == null ? Set.of() : Set.copyOf(versions.getOrDefault(latestLocation, Set.of()));
    }

    public synchronized String latestLocation() {
        return latestLocation;
    }

    public synchronized Set<String> stagingTables() {
        return Set.copyOf(stagingTables.keySet());
    }

    public Set<PitPartition> registeredPartitions() {
        return Set.copyOf(partitions);
    }

    /** The folder (store key prefix) the table reads each registered partition from. */
    public Map<PitPartition, String> partitionFolders() {
        return Map.copyOf(folders);
    }

    public synchronized Set<String> compactionTables() {
        return Set.copyOf(compactionTables.keySet());
    }
}
