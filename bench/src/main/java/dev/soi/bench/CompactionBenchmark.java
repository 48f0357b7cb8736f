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
 * {@code bench/run compact [days] [runs per day] [big partition rows]}: a simulated year of 5-minute runs for one unit
 * (default 365 × 288 ≈ 105,000 small PIT files), read before and after compaction, and the same rows laid out one file
 * per partition from the start: files per partition, total files, {@code package_history} and {@code package_as_of}
 * for one package, and a full latest rebuild, on DuckDB and on the Trino stand-in (the Athena proxy).
 *
 * <p>The compaction runs through the batch's {@code compact} command on each engine, over its own copy of the files:
 * one {@code compact --through DAY} per day, oldest first, the clock 5 minutes on each time, as the scheduled runs
 * compact a few partitions each. So each call's time is one partition's compaction plus what the command costs at
 * that point of the history, and the first and last days' calls show whether that grows. Each call's heap is
 * watched ({@link HeapWatch}). Last, one partition of {@code big partition rows} rows (default 1,000,000, a unit-day
 * of a large backlog) is compacted on its own, to show whether the heap grows with a partition's size.
 */
final class CompactionBenchmark {
    static final BusinessUnit UNIT = BusinessUnit.of("AE");
    /** The unit of the one large partition, on the day after the simulated ones. */
    private static final BusinessUnit BIG_UNIT = BusinessUnit.of("BIG");
    static final String PACKAGE = "job_07";
    private static final int PACKAGES = 40;
    private static final LocalDate FIRST_DAY = LocalDate.parse("2025-01-01");
    private static final String BUCKET = "s3://soi-bench/data/";
    /** Calls averaged at each end of the year. */
    private static final int ENDS = 10;

    private CompactionBenchmark() {}

    static Map<String, Object> run(int days, int runsPerDay, long bigRows) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        Path home = Files.createTempDirectory("soi-bench-compact");
        Path data = home.resolve("data");
        Path trinoData = home.resolve("data-trino");
        Path oneFileData = home.resolve("one-file");
        FileSystemObjectStore store = new FileSystemObjectStore(data);
        FileSystemObjectStore oneFileStore = new FileSystemObjectStore(oneFileData);
        long start = System.nanoTime();
        // One unit; each run sets 1-3 of its 40 packages to 2-8 ids.
        SimulatedRuns.Shape shape = new SimulatedRuns.Shape(List.of(UNIT), PACKAGES, runsPerDay, 1.0, 3, 2, 8, 0, false);
        SimulatedRuns runs = new SimulatedRuns(shape, FIRST_DAY, store, oneFileStore);
        long rows = runs.write(days);
        LocalDate bigDay = FIRST_DAY.plusDays(days);
        long big = bigRows > 0 ? runs.writeBigPartition(new PitPartition(BIG_UNIT, bigDay), bigRows, 20) : 0;
        CompactionMeasures.copyTree(data, trinoData);
        result.put("days", days);
        result.put("runs_per_day", runsPerDay);
        result.put("pit_rows", rows);
        result.put("big_partition_rows", big);
        result.put("write_s", seconds(start));
        System.out.printf("wrote %,d rows in %,d small files and %d one-file partitions, and a partition of %,d rows, in %.0f s%n",
                rows, days * runsPerDay, days, big, seconds(start));

        Instant now = FIRST_DAY.plusDays(days + 1).atTime(3, 0).toInstant(ZoneOffset.UTC);
        LocalDate asOfDay = FIRST_DAY.plusDays(days / 2);
        Instant asOf = asOfDay.atTime(12, 0).toInstant(ZoneOffset.UTC);
        List<PitPartition> partitions = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            partitions.add(new PitPartition(UNIT, FIRST_DAY.plusDays(d)));
        }
        if (big > 0) {
            partitions.add(new PitPartition(BIG_UNIT, bigDay));
        }

        Optional<LocalTrino> trino = Bench.startTrino(home);
        try {
            return measureAll(result, home, store, oneFileStore, trinoData, oneFileData, now, asOf, partitions, bigDay, big > 0, trino);
        } finally {
            // The server is a process of its own: stop it on failure too, or it outlives the benchmark.
            trino.ifPresent(LocalTrino::close);
        }
    }

    private static Map<String, Object> measureAll(Map<String, Object> result, Path home, FileSystemObjectStore store,
                                                  FileSystemObjectStore oneFileStore, Path trinoData, Path oneFileData, Instant now,
                                                  Instant asOf, List<PitPartition> partitions, LocalDate bigDay, boolean withBig,
                                                  Optional<LocalTrino> trino) throws IOException {
        // DuckDB: the small files, then the one-file layout.
        TableStatements duckStatements = new TableStatements(new SqlTemplates(), "df_bench", store::location);
        DuckDbQueryEngine duck = new DuckDbQueryEngine(home.resolve("catalog"));
        CompactionMeasures.bootstrap(duck, duckStatements, partitions);
        TableStatements oneFileDuckStatements = new TableStatements(new SqlTemplates(), "df_bench", oneFileStore::location);
        DuckDbQueryEngine oneFileDuck = new DuckDbQueryEngine(home.resolve("catalog-one-file"));
        CompactionMeasures.bootstrap(oneFileDuck, oneFileDuckStatements, partitions);

        FileSystemObjectStore trinoStore = new FileSystemObjectStore(trinoData);
        TrinoQueryEngine trinoEngine = trino.map(t -> new TrinoQueryEngine(new TrinoProperties(t.jdbcUrl(), "bench",
                Map.of(BUCKET, trinoData.toAbsolutePath() + "/"), t.metastore()))).orElse(null);
        TrinoQueryEngine oneFileTrino = trino.map(t -> new TrinoQueryEngine(new TrinoProperties(t.jdbcUrl(), "bench",
                Map.of(BUCKET, oneFileData.toAbsolutePath() + "/"), t.metastore()))).orElse(null);
        TableStatements trinoStatements = new TableStatements(new SqlTemplates(), "df_bench", key -> BUCKET + key);
        TableStatements oneFileTrinoStatements = new TableStatements(new SqlTemplates(), "df_bench_one_file", key -> BUCKET + key);
        if (trinoEngine != null) {
            CompactionMeasures.bootstrap(trinoEngine, trinoStatements, partitions);
            CompactionMeasures.bootstrap(oneFileTrino, oneFileTrinoStatements, partitions);
        }

        CompactionMeasures.layout(result, "before", store);
        CompactionMeasures.layout(result, "one_file", oneFileStore);
        CompactionMeasures.measure(result, "duckdb_before", duck, duckStatements, asOf, "duckdb-before");
        CompactionMeasures.measure(result, "duckdb_one_file", oneFileDuck, oneFileDuckStatements, asOf, "duckdb-one-file");
        if (trinoEngine != null) {
            CompactionMeasures.measure(result, "trino_before", trinoEngine, trinoStatements, asOf, "trino-before");
            CompactionMeasures.measure(result, "trino_one_file", oneFileTrino, oneFileTrinoStatements, asOf, "trino-one-file");
        }

        HeapWatch heap = new HeapWatch();
        compactAll(result, "duckdb", store, duck, duckStatements, now, partitions, bigDay, withBig, heap);
        CompactionMeasures.layout(result, "after", store);
        CompactionMeasures.measure(result, "duckdb_after", duck, duckStatements, asOf, "duckdb-after");
        if (trinoEngine != null) {
            compactAll(result, "trino", trinoStore, trinoEngine, trinoStatements, now, partitions, bigDay, withBig, heap);
            CompactionMeasures.layout(result, "trino_after", trinoStore);
            CompactionMeasures.measure(result, "trino_after", trinoEngine, trinoStatements, asOf, "trino-after");
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

    /**
     * Compacts every day through {@code engine} with the batch's {@code compact} command, one day per call as the
     * scheduled runs do, then the large partition on its own, then deletes the old folders; records each call's time and heap.
     */
    private static void compactAll(Map<String, Object> result, String engineName, FileSystemObjectStore store, QueryEngine engine,
                                   TableStatements statements, Instant now, List<PitPartition> partitions, LocalDate bigDay,
                                   boolean withBig, HeapWatch heap) {
        BenchClock clock = new BenchClock(now);
        BatchProperties properties = BatchProperties.defaults();
        BatchCommands commands = new BatchCommands(new BatchPorts(store, new EmptyQueue(), engine, new RecordingEventPublisher(),
                new ObjectStoreRunLease(store, clock), statements, new SubmissionMessages(store), clock,
                BatchPorts.randomRunIds(clock), properties, FaultInjector.NONE));
        List<Double> seconds = new ArrayList<>();
        List<Long> heapPeaks = new ArrayList<>();
        List<Long> liveAfterGc = new ArrayList<>();
        long compacted = 0;
        long filesBefore = 0;
        long bytesBefore = 0;
        long compactStart = System.nanoTime();
        List<LocalDate> days = partitions.stream().filter(p -> p.businessUnit().equals(UNIT)).map(PitPartition::requestDate).toList();
        for (LocalDate day : days) {
            clock.advance(Duration.ofMinutes(5));
            heap.start();
            long callStart = System.nanoTime();
            RunSummary summary = commands.compact(day);
            seconds.add((System.nanoTime() - callStart) / 1e9);
            HeapWatch.Window window = heap.stop();
            heapPeaks.add(window.poolPeaksMb());
            liveAfterGc.add(window.liveAfterGcMb());
            if (summary.outcome() != RunSummary.Outcome.COMPLETED) {
                throw new IllegalStateException(engineName + " compaction of " + day + " did not complete: " + summary.line());
            }
            compacted += summary.compaction().partitions();
            filesBefore += summary.compaction().filesBefore();
            bytesBefore += summary.compaction().bytesBefore();
            if (seconds.size() % 30 == 0) {
                System.out.printf("  %s: %d days compacted, the last in %.2f s%n", engineName, seconds.size(), seconds.get(seconds.size() - 1));
            }
        }
        double totalSeconds = seconds(compactStart);
        String name = engineName + "_compact";
        result.put(name + "_partitions", compacted);
        result.put(name + "_files_before", filesBefore);
        result.put(name + "_bytes_before", bytesBefore);
        result.put(name + "_total_s", round(totalSeconds));
        int ends = Math.min(ENDS, seconds.size());
        double first = mean(seconds.subList(0, ends));
        double last = mean(seconds.subList(seconds.size() - ends, seconds.size()));
        result.put(name + "_first_days_s", round(first));
        result.put(name + "_last_days_s", round(last));
        result.put(name + "_last_vs_first", round(last / first));
        result.put(name + "_first_days_heap_peak_mb", heapPeaks.subList(0, ends).stream().mapToLong(Long::longValue).max().orElse(0));
        result.put(name + "_last_days_heap_peak_mb", heapPeaks.subList(heapPeaks.size() - ends, heapPeaks.size()).stream()
                .mapToLong(Long::longValue).max().orElse(0));
        result.put(name + "_heap_peak_max_mb", heapPeaks.stream().mapToLong(Long::longValue).max().orElse(0));
        result.put(name + "_live_after_gc_max_mb", liveAfterGc.stream().mapToLong(Long::longValue).max().orElse(0));
        result.put(name + "_seconds_per_call", seconds.stream().map(CompactionBenchmark::round).toList());
        System.out.printf("%s: %d partitions in %.0f s; a call at the first %d days %.2f s, at the last %d %.2f s (%.2fx); heap peak "
                        + "%d MB at the first days, %d MB at the last%n", engineName, compacted, totalSeconds, ends, first, ends, last,
                last / first, result.get(name + "_first_days_heap_peak_mb"), result.get(name + "_last_days_heap_peak_mb"));
        if (withBig) {
            clock.advance(Duration.ofMinutes(5));
            heap.start();
            long bigStart = System.nanoTime();
            RunSummary summary = commands.compact(bigDay);
            double bigSeconds = seconds(bigStart);
            HeapWatch.Window window = heap.stop();
            result.put(name + "_big_outcome", summary.outcome().name());
            result.put(name + "_big_partitions", summary.compaction().partitions());
            result.put(name + "_big_s", round(bigSeconds));
            result.put(name + "_big_heap_peak_mb", window.poolPeaksMb());
            result.put(name + "_big_live_after_gc_mb", window.liveAfterGcMb());
            System.out.printf("%s: the large partition in %.2f s, heap peak %d MB (%d MB live after a collection): %s%n", engineName,
                    bigSeconds, window.poolPeaksMb(), window.liveAfterGcMb(), summary.line());
        }
        clock.advance(properties.compaction().oldFilesGrace().plusMinutes(5));
        RunSummary cleanup = commands.compact(bigDay);
        result.put(name + "_old_folders_deleted", cleanup.compaction().oldFoldersDeleted());
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    private static double seconds(long startNanos) {
        return round((System.nanoTime() - startNanos) / 1e9);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
