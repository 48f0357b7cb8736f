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

/** What {@link CompactionBenchmark} measures of a layout: its files, and history queries and a full rebuild over it. */
final class CompactionMeasures {
    private CompactionMeasures() {}

    static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }

    static void bootstrap(QueryEngine engine, TableStatements statements, List<PitPartition> partitions) {
        engine.execute(statements.createDatabase());
        engine.execute(statements.createPitTable());
        engine.execute(statements.createLatestTable(StorageLayout.latestVersionPrefix(StorageLayout.LATEST_EMPTY_VERSION),
                List.of(CompactionBenchmark.UNIT)));
        statements.addPartitions(partitions).forEach(engine::execute);
    }

    static void layout(Map<String, Object> result, String name, FileSystemObjectStore store) {
        Map<String, Integer> perFolder = new TreeMap<>();
        long bytes = 0;
        for (ObjectSummary object : store.list(StorageLayout.PIT_PREFIX)) {
            String file = object.key().substring(object.key().lastIndexOf('/') + 1);
            // Every file an engine reads: Hive hides names starting with . or _; engines name their own files.
            if (!file.isEmpty() && !file.startsWith(".") && !file.startsWith("_")) {
                perFolder.merge(object.key().substring(0, object.key().lastIndexOf('/') + 1), 1, Integer::sum);
                bytes += object.size();
            }
        }
        int total = perFolder.values().stream().mapToInt(Integer::intValue).sum();
        result.put(name + "_total_files", total);
        result.put(name + "_files_per_partition_max", perFolder.values().stream().mapToInt(Integer::intValue).max().orElse(0));
        result.put(name + "_files_per_partition_avg", Bench.round(total / (double) Math.max(1, perFolder.size())));
        result.put(name + "_bytes", bytes);
        System.out.printf("%-11s %,8d files, %,6.1f per partition (max %d), %,d bytes%n", name, total,
                total / (double) Math.max(1, perFolder.size()), result.get(name + "_files_per_partition_max"), bytes);
    }

    static void measure(Map<String, Object> result, String name, QueryEngine engine, TableStatements statements,
                                Instant asOf, String version) {
        PackageName pkg = PackageName.of(CompactionBenchmark.PACKAGE);
        // A warm-up, then the median of three; over the small files one timed run, since each takes minutes on Trino.
        int reps = name.endsWith("_before") ? 1 : 3;
        double history = median(reps, () -> engine.query(statements.packageHistory(CompactionBenchmark.UNIT, pkg)));
        double asOfMs = median(reps, () -> engine.query(statements.packageAsOf(CompactionBenchmark.UNIT, pkg, asOf)));
        long start = System.nanoTime();
        LatestRebuild.rebuild(engine, statements, List.of(CompactionBenchmark.UNIT), version, null, null);
        double rebuild = Bench.round((System.nanoTime() - start) / 1e9);
        result.put(name + "_history_ms", Bench.round(history));
        result.put(name + "_as_of_ms", Bench.round(asOfMs));
        result.put(name + "_rebuild_full_s", Bench.round(rebuild));
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
}
