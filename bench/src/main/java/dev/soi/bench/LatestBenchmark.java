package dev.soi.bench;

import static dev.soi.core.sql.SqlTemplates.tokens;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.TableStatements;
import dev.soi.embedded.DuckDbQueryEngine;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.parquet.PitParquetWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The physical latest table against the window view it replaces, and the incremental rebuild against the
 * full one, at growing history sizes with the same latest size: units × packages stay fixed, history grows
 * by more versions per package over more simulated days. Same engine (DuckDB), same files.
 */
final class LatestBenchmark {
    private static final int UNITS = 20;
    private static final int PACKAGES_PER_UNIT = 400;
    private static final String DATABASE = "df_trusted_bench";

    private LatestBenchmark() {}

    static Map<String, Object> run(long[] sizes) throws IOException {
        Map<String, Object> results = new LinkedHashMap<>();
        for (long size : sizes) {
            results.put(label(size), one(size));
        }
        return results;
    }

    private static String label(long rows) {
        return rows >= 1_000_000 ? (rows / 1_000_000) + "M" : Long.toString(rows);
    }

    private static Map<String, Object> one(long targetRows) throws IOException {
        Path home = Files.createTempDirectory("soi-bench-latest");
        FileSystemObjectStore store = new FileSystemObjectStore(home.resolve("data"));
        DuckDbQueryEngine engine = new DuckDbQueryEngine(home.resolve("catalog"));
        SqlTemplates templates = new SqlTemplates();
        TableStatements statements = new TableStatements(templates, DATABASE, store::location);
        engine.execute(statements.createDatabase());
        engine.execute(statements.createPitTable());
        engine.execute(statements.createLatestTable(StorageLayout.latestVersionPrefix(StorageLayout.LATEST_EMPTY_VERSION)));

        SplittableRandom random = new SplittableRandom(7);
        long written = 0;
        int day = 0;
        long generateStart = System.nanoTime();
        // Day 0 gives every package a version; later days update a fifth of them, until the history is big enough.
        while (written < targetRows) {
            written += writeDay(store, day, day == 0 ? 1.0 : 0.2, random);
            day++;
        }
        double generateSeconds = (System.nanoTime() - generateStart) / 1e9;
        List<PitPartition> partitions = new ArrayList<>();
        for (int d = 0; d < day; d++) {
            for (int u = 0; u < UNITS; u++) {
                partitions.add(new PitPartition(unit(u), date(d)));
            }
        }
        statements.addPartitions(partitions).forEach(engine::execute);

        double fullBase = time(() -> rebuild(engine, statements, "base", null, null));
        // One more scheduled run: a few hundred packages change today; rebuild both ways.
        long newRows = writeDay(store, day, 0.05, random);
        List<PitPartition> today = new ArrayList<>();
        for (int u = 0; u < UNITS; u++) {
            today.add(new PitPartition(unit(u), date(day)));
        }
        statements.addPartitions(today).forEach(engine::execute);
        RunId newRun = runId(day);
        LocalDate newDay = date(day);
        double incremental = time(() -> rebuild(engine, statements, "inc", newDay, newRun));
        double full = time(() -> rebuild(engine, statements, "full", null, null));

        long pitRows = (Long) engine.query(statements.countPit()).rows().get(0).get(0);
        long latestRows = (Long) engine.query(templates.render("bench/count_latest",
                tokens("database", SqlToken.identifier(DATABASE)))).rows().get(0).get(0);

        BusinessUnit unit = unit(3);
        PackageName packageName = PackageName.of("job_" + 17);
        int reps = targetRows > 20_000_000 ? 5 : 9;
        double tablePackage = median(reps, () -> engine.query(statements.latestPackage(unit, packageName)));
        double viewPackage = median(reps, () -> engine.query(templates.render("bench/view_package",
                tokens("database", SqlToken.identifier(DATABASE)), unit.code(), packageName.value())));
        double tableUnit = median(reps, () -> engine.query(statements.latestUnit(unit)));
        double viewUnit = median(reps, () -> engine.query(templates.render("bench/view_unit",
                tokens("database", SqlToken.identifier(DATABASE)), unit.code())));

        List<Object> tableScan = engine.query(templates.render("bench/row_groups_in_scope",
                tokens("location", SqlToken.location(store.location(StorageLayout.latestVersionPrefix("full")))), unit.code(), unit.code()))
                .rows().get(0);
        List<Object> viewScan = engine.query(templates.render("bench/row_groups_in_scope",
                tokens("location", SqlToken.location(store.location(StorageLayout.PIT_PREFIX + "business_unit=" + unit.code() + "/"))),
                unit.code(), unit.code())).rows().get(0);
        long latestBytes = store.list(StorageLayout.LATEST_PREFIX + "version=full/").stream().mapToLong(ObjectSummary::size).sum();
        long unitPitBytes = store.list(StorageLayout.PIT_PREFIX + "business_unit=" + unit.code() + "/").stream().mapToLong(ObjectSummary::size).sum();
        long pitBytes = store.list(StorageLayout.PIT_PREFIX).stream().mapToLong(ObjectSummary::size).sum();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pit_rows", pitRows);
        result.put("latest_rows", latestRows);
        result.put("days", day + 1);
        result.put("generate_seconds", round(generateSeconds));
        result.put("pit_bytes", pitBytes);
        result.put("lookup_package_table_ms", round(tablePackage));
        result.put("lookup_package_view_ms", round(viewPackage));
        result.put("lookup_package_speedup", round(viewPackage / tablePackage));
        result.put("lookup_unit_table_ms", round(tableUnit));
        result.put("lookup_unit_view_ms", round(viewUnit));
        result.put("lookup_unit_speedup", round(viewUnit / tableUnit));
        // Bytes in the files each query must open before row-group pruning: the unpartitioned latest table
        // versus the PIT partitions of the unit (Athena prunes the view to the unit's partitions, no further).
        result.put("table_bytes_in_scope", latestBytes);
        result.put("view_bytes_in_scope", unitPitBytes);
        // Row groups a min/max-pruning reader (Athena, DuckDB) opens for the unit, and their compressed bytes.
        result.put("table_row_groups_read", tableScan.get(0));
        result.put("table_row_groups_total", tableScan.get(2));
        result.put("table_bytes_read", tableScan.get(1));
        result.put("view_row_groups_read", viewScan.get(0));
        result.put("view_bytes_read", viewScan.get(1));
        result.put("rebuild_new_rows", newRows);
        result.put("rebuild_incremental_s", round(incremental));
        result.put("rebuild_full_s", round(full));
        result.put("rebuild_full_base_s", round(fullBase));
        result.put("rebuild_speedup", round(full / incremental));
        Bench.deleteTree(home);
        return result;
    }

    /** Rebuilds into version={name}/ and swaps it in, as the batch does. */
    private static void rebuild(DuckDbQueryEngine engine, TableStatements statements, String name, LocalDate windowStart, RunId since) {
        String staging = "security_of_interest_latest_stg_" + name;
        String prefix = StorageLayout.latestVersionPrefix(name);
        engine.execute(windowStart == null
                ? statements.createLatestFromPit(staging, prefix)
                : statements.createLatestIncremental(staging, prefix, windowStart, since));
        engine.execute(statements.swapLatest(prefix));
        engine.execute(statements.dropStaging(staging));
    }

    private static long writeDay(FileSystemObjectStore store, int day, double share, SplittableRandom random) throws IOException {
        long rows = 0;
        RunId run = runId(day);
        for (int u = 0; u < UNITS; u++) {
            PitPartition partition = new PitPartition(unit(u), date(day));
            String key = StorageLayout.pitFileKey(partition, run, 0);
            try (PitParquetWriter writer = PitParquetWriter.open(store.startUpload(key), key, PitParquetWriter.DEFAULT_ROW_GROUP_BYTES)) {
                // packages in name order, ids ascending: the file order the batch writes
                String[] names = new String[PACKAGES_PER_UNIT];
                for (int p = 0; p < PACKAGES_PER_UNIT; p++) {
                    names[p] = "job_" + p;
                }
                Arrays.sort(names);
                for (String name : names) {
                    if (random.nextDouble() >= share) {
                        continue;
                    }
                    Instant at = date(day).atStartOfDay().toInstant(java.time.ZoneOffset.UTC).plusSeconds(random.nextInt(86_000));
                    SubmissionId id = SubmissionId.generate(at, random);
                    if (day > 0 && random.nextDouble() < 0.01) {
                        writer.write(null, name, at.toEpochMilli(), id.toString(), "bench", run.value());
                        rows++;
                        continue;
                    }
                    long[] ids = random.longs(50 + random.nextInt(451), 1, 5_000_000L).sorted().distinct().toArray();
                    for (long ref : ids) {
                        writer.write(ref, name, at.toEpochMilli(), id.toString(), "bench", run.value());
                    }
                    rows += ids.length;
                }
                writer.commit();
            }
        }
        return rows;
    }

    private static BusinessUnit unit(int u) {
        return BusinessUnit.of("U" + String.format("%02d", u));
    }

    private static LocalDate date(int day) {
        return LocalDate.parse("2024-01-01").plusDays(day);
    }

    private static RunId runId(int day) {
        return new RunId(date(day).toString().replace("-", "") + "t000000z-" + String.format("%08x", day));
    }

    private static double time(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e9;
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

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
