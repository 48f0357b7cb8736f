package dev.soi.bench;

import dev.soi.batch.BatchCommands;
import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.FaultInjector;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.embedded.DuckDbQueryEngine;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.embedded.RecordingEventPublisher;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.TableStatements;
import dev.soi.trino.LocalTrino;
import dev.soi.trino.TrinoProperties;
import dev.soi.trino.TrinoQueryEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@code bench/run compact [days] [runs per day]}: a simulated year of 5-minute runs for one unit (default 365 × 288
 * ≈ 105,000 small PIT files), read before and after compaction, and the same rows laid out one file per partition
 * from the start: files per partition, total files, {@code package_history} and {@code package_as_of} for one
 * package, and a full latest rebuild, on DuckDB and on the Trino stand-in (the Athena proxy). The compaction itself
 * runs through the batch's {@code compact} command on DuckDB; Trino's catalog is then pointed at the same compacted
 * folders through the same {@code athena/set_partition_location} statements.
 */
final class CompactionBenchmark {
    private static final BusinessUnit UNIT = BusinessUnit.of("AE");
    private static final String PACKAGE = "job_07";
    private static final int PACKAGES = 40;
    private static final LocalDate FIRST_DAY = LocalDate.parse("2025-01-01");
    private static final String BUCKET = "s3://soi-bench/data/";

    private CompactionBenchmark() {}

    static Map<String, Object> run(int days, int runsPerDay) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        Path home = Files.createTempDirectory("soi-bench-compact");
        Path data = home.resolve("data");
        Path oneFileData = home.resolve("one-file");
        FileSystemObjectStore store = new FileSystemObjectStore(data);
        FileSystemObjectStore oneFileStore = new FileSystemObjectStore(oneFileData);
        long start = System.nanoTime();
        // One unit; each run sets 1-3 of its 40 packages to 2-8 ids.
        SimulatedRuns.Shape shape = new SimulatedRuns.Shape(List.of(UNIT), PACKAGES, runsPerDay, 1.0, 3, 2, 8, 0, false);
        long rows = new SimulatedRuns(shape, FIRST_DAY, store, oneFileStore).write(days);
        result.put("days", days);
        result.put("runs_per_day", runsPerDay);
        result.put("pit_rows", rows);
        result.put("write_s", seconds(start));
        System.out.printf("wrote %,d rows in %,d small files and %d one-file partitions in %.0f s%n", rows, days * runsPerDay, days,
                seconds(start));

        Instant now = FIRST_DAY.plusDays(days + 1).atTime(3, 0).toInstant(ZoneOffset.UTC);
        LocalDate asOfDay = FIRST_DAY.plusDays(days / 2);
        Instant asOf = asOfDay.atTime(12, 0).toInstant(ZoneOffset.UTC);
        List<PitPartition> partitions = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            partitions.add(new PitPartition(UNIT, FIRST_DAY.plusDays(d)));
        }

        Optional<LocalTrino> trino = Bench.startTrino(home);
        try {
            return measureAll(result, home, store, oneFileStore, data, oneFileData, now, asOf, partitions, trino);
        } finally {
            // The server is a process of its own: stop it on failure too, or it outlives the benchmark.
            trino.ifPresent(LocalTrino::close);
        }
    }

    private static Map<String, Object> measureAll(Map<String, Object> result, Path home, FileSystemObjectStore store,
                                                  FileSystemObjectStore oneFileStore, Path data, Path oneFileData, Instant now,
                                                  Instant asOf, List<PitPartition> partitions, Optional<LocalTrino> trino)
            throws IOException {
        // DuckDB: the small files, then the one-file layout.
        TableStatements duckStatements = new TableStatements(new SqlTemplates(), "df_bench", store::location);
        DuckDbQueryEngine duck = new DuckDbQueryEngine(home.resolve("catalog"));
        bootstrap(duck, duckStatements, partitions);
        TableStatements oneFileDuckStatements = new TableStatements(new SqlTemplates(), "df_bench", oneFileStore::location);
        DuckDbQueryEngine oneFileDuck = new DuckDbQueryEngine(home.resolve("catalog-one-file"));
        bootstrap(oneFileDuck, oneFileDuckStatements, partitions);

        TrinoQueryEngine trinoEngine = trino.map(t -> new TrinoQueryEngine(new TrinoProperties(t.jdbcUrl(), "bench",
                Map.of(BUCKET, data.toAbsolutePath() + "/"), t.metastore()))).orElse(null);
        TrinoQueryEngine oneFileTrino = trino.map(t -> new TrinoQueryEngine(new TrinoProperties(t.jdbcUrl(), "bench",
                Map.of(BUCKET, oneFileData.toAbsolutePath() + "/"), t.metastore()))).orElse(null);
        TableStatements trinoStatements = new TableStatements(new SqlTemplates(), "df_bench", key -> BUCKET + key);
        TableStatements oneFileTrinoStatements = new TableStatements(new SqlTemplates(), "df_bench_one_file", key -> BUCKET + key);
        if (trinoEngine != null) {
            bootstrap(trinoEngine, trinoStatements, partitions);
            bootstrap(oneFileTrino, oneFileTrinoStatements, partitions);
        }

        layout(result, "before", store);
        layout(result, "one_file", oneFileStore);
        measure(result, "duckdb_before", duck, duckStatements, asOf, "duckdb-before");
        measure(result, "duckdb_one_file", oneFileDuck, oneFileDuckStatements, asOf, "duckdb-one-file");
        if (trinoEngine != null) {
            measure(result, "trino_before", trinoEngine, trinoStatements, asOf, "trino-before");
            measure(result, "trino_one_file", oneFileTrino, oneFileTrinoStatements, asOf, "trino-one-file");
        }

        // Compaction, as `compact` runs it, on DuckDB.
        MutableClock clock = new MutableClock(now);
        BatchProperties properties = BatchProperties.defaults();
        BatchCommands commands = new BatchCommands(new BatchPorts(store, new EmptyQueue(), duck, new RecordingEventPublisher(),
                new ObjectStoreRunLease(store, clock), duckStatements, new SubmissionMessages(store), clock,
                BatchPorts.randomRunIds(clock), properties, FaultInjector.NONE));
        long compactStart = System.nanoTime();
        RunSummary compaction = commands.compact(null);
        double compactSeconds = seconds(compactStart);
        clock.advance(properties.compaction().oldFilesGrace().plusMinutes(1));
        RunSummary cleanup = commands.compact(null);
        result.put("compact_outcome", compaction.outcome().name());
        result.put("compact_partitions", compaction.compaction().partitions());
        result.put("compact_files_before", compaction.compaction().filesBefore());
        result.put("compact_files_after", compaction.compaction().filesAfter());
        result.put("compact_bytes_before", compaction.compaction().bytesBefore());
        result.put("compact_bytes_after", compaction.compaction().bytesAfter());
        result.put("compact_s", round(compactSeconds));
        result.put("compact_s_per_gb", round(compactSeconds / (compaction.compaction().bytesBefore() / 1e9)));
        result.put("old_folders_deleted", cleanup.compaction().oldFoldersDeleted());
        System.out.println(compaction.line());

        layout(result, "after", store);
        measure(result, "duckdb_after", duck, duckStatements, asOf, "duckdb-after");
        if (trinoEngine != null) {
            long swapStart = System.nanoTime();
            for (PitPartition partition : partitions) {
                String folder = folderOf(store, partition);
                trinoEngine.execute(trinoStatements.setPartitionLocation(partition, folder));
            }
            result.put("trino_swap_s", seconds(swapStart));
            measure(result, "trino_after", trinoEngine, trinoStatements, asOf, "trino-after");
        }

        for (String engine : List.of("duckdb", "trino")) {
            if (result.containsKey(engine + "_after_history_ms")) {
                double after = (double) result.get(engine + "_after_history_ms");
                result.put(engine + "_history_after_vs_one_file", round(after / (double) result.get(engine + "_one_file_history_ms")));
                result.put(engine + "_history_speedup", round((double) result.get(engine + "_before_history_ms") / after));
                result.put(engine + "_as_of_speedup", round((double) result.get(engine + "_before_as_of_ms")
                        / (double) result.get(engine + "_after_as_of_ms")));
            }
        }
        Bench.deleteTree(home);
        return result;
    }

    /** The folder the compaction record names for {@code partition}. */
    private static String folderOf(FileSystemObjectStore store, PitPartition partition) {
        String prefix = StorageLayout.PIT_PREFIX + "compacted/";
        return store.list(prefix).stream().map(ObjectSummary::key)
                .filter(k -> StorageLayout.partitionOf(k).map(partition::equals).orElse(false))
                .map(k -> StorageLayout.partitionLocationOf(k).orElseThrow())
                .max(String::compareTo).orElse(StorageLayout.partitionPrefix(partition));
    }

    private static void bootstrap(QueryEngine engine, TableStatements statements, List<PitPartition> partitions) {
        engine.execute(statements.createDatabase());
        engine.execute(statements.createPitTable());
        engine.execute(statements.createLatestTable(StorageLayout.latestVersionPrefix(StorageLayout.LATEST_EMPTY_VERSION), List.of(UNIT)));
        statements.addPartitions(partitions).forEach(engine::execute);
    }

    private static void layout(Map<String, Object> result, String name, FileSystemObjectStore store) {
        Map<String, Integer> perFolder = new TreeMap<>();
        long bytes = 0;
        for (ObjectSummary object : store.list(StorageLayout.PIT_PREFIX)) {
            if (object.key().endsWith(".parquet")) {
                perFolder.merge(StorageLayout.partitionLocationOf(object.key()).orElseThrow(), 1, Integer::sum);
                bytes += object.size();
            }
        }
        int total = perFolder.values().stream().mapToInt(Integer::intValue).sum();
        result.put(name + "_total_files", total);
        result.put(name + "_files_per_partition_max", perFolder.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        result.put(name + "_files_per_partition_avg", round(total / (double) Math.max(1, perFolder.size())));
        result.put(name + "_bytes", bytes);
        System.out.printf("%-9s %,8d files, %,6.1f per partition (max %d), %,d bytes%n", name, total,
                total / (double) Math.max(1, perFolder.size()), result.get(name + "_files_per_partition_max"), bytes);
    }

    private static void measure(Map<String, Object> result, String name, QueryEngine engine, TableStatements statements,
                                Instant asOf, String version) {
        PackageName pkg = PackageName.of(PACKAGE);
        // A warm-up, then the median of three; over the small files one timed run, since each takes minutes on Trino.
        int reps = name.endsWith("_before") ? 1 : 3;
        double history = median(reps, () -> engine.query(statements.packageHistory(UNIT, pkg)));
        double asOfMs = median(reps, () -> engine.query(statements.packageAsOf(UNIT, pkg, asOf)));
        long start = System.nanoTime();
        LatestRebuild.rebuild(engine, statements, List.of(UNIT), version, null, null);
        double rebuild = seconds(start);
        result.put(name + "_history_ms", round(history));
        result.put(name + "_as_of_ms", round(asOfMs));
        result.put(name + "_rebuild_full_s", round(rebuild));
        System.out.printf("%-16s package_history %,9.1f ms   package_as_of %,9.1f ms   rebuild-latest --full %,7.2f s%n", name,
                history, asOfMs, rebuild);
    }

    private static double median(int reps, Supplier<?> query) {
        query.get(); // warm-up
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            query.get();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }

    private static double seconds(long startNanos) {
        return round((System.nanoTime() - startNanos) / 1e9);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    /** A clock the benchmark moves past the old files' grace period. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
