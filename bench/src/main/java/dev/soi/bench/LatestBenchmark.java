package dev.soi.bench;

import static dev.soi.core.sql.SqlTemplates.tokens;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.Statement;
import dev.soi.core.sql.TableStatements;
import dev.soi.embedded.DuckDbQueryEngine;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.trino.LocalTrino;
import dev.soi.trino.TrinoProperties;
import dev.soi.trino.TrinoQueryEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bench/run latest [days …]}: the physical latest table against the window view it replaces, on DuckDB and
 * on the Trino stand-in (the Athena proxy), over PIT history laid out as 5-minute runs leave it: one small file per
 * run per touched partition, 288 runs a day. The longest history is written once; each shorter one is its first
 * days, registered in turn, so every size is measured in the same run over the same files.
 *
 * <p>At each size and on each engine: a full rebuild of the latest table, then an incremental one over the last
 * hour's runs; then a package lookup and a unit lookup on the table and on the view, each timed inside the engine
 * (a count and a checksum of the answer come back; {@code sql/bench/*_digest.sql}) and through JDBC into Java
 * (the whole answer), with the bytes each read: Trino's {@code physicalInputBytes}; on DuckDB, which reports no
 * bytes read, the compressed bytes of the row groups a min/max-pruning reader must open.
 */
final class LatestBenchmark {
    /** Four units of 500 packages; a run touches each unit with probability 1/2 and sets 1-4 of its packages. */
    static final SimulatedRuns.Shape SHAPE = new SimulatedRuns.Shape(
            List.of(BusinessUnit.of("AE"), BusinessUnit.of("CMF"), BusinessUnit.of("EQ"), BusinessUnit.of("FX")),
            500, 288, 0.5, 4, 10, 200, 0.01, true);
    private static final BusinessUnit UNIT = BusinessUnit.of("AE");
    private static final PackageName PACKAGE = PackageName.of("job_123");
    private static final LocalDate FIRST_DAY = LocalDate.parse("2025-01-01");
    private static final String DATABASE = "df_trusted_bench";
    private static final String BUCKET = "s3://soi-bench/data/";
    private static final SqlToken LATEST = SqlToken.identifier(StorageLayout.LATEST_TABLE);

    private LatestBenchmark() {}

    static Map<String, Object> run(int[] days) throws Exception {
        int[] sizes = Arrays.stream(days).sorted().distinct().toArray();
        Path home = Files.createTempDirectory("soi-bench-latest");
        Path data = home.resolve("data");
        FileSystemObjectStore store = new FileSystemObjectStore(data);
        SimulatedRuns runs = new SimulatedRuns(SHAPE, FIRST_DAY, store, null);
        long start = System.nanoTime();
        long rows = runs.write(sizes[sizes.length - 1]);
        System.out.printf("wrote %,d PIT rows over %d days in %.0f s%n", rows, sizes[sizes.length - 1], (System.nanoTime() - start) / 1e9);

        Optional<LocalTrino> trino = Bench.startTrino(home);
        try {
            SqlTemplates templates = new SqlTemplates();
            List<Side> sides = new ArrayList<>();
            sides.add(new Side("duckdb", new DuckDbQueryEngine(home.resolve("catalog")), new TableStatements(templates, DATABASE, store::location)));
            trino.ifPresent(t -> sides.add(new Side("trino", new TrinoQueryEngine(new TrinoProperties(t.jdbcUrl(), "bench",
                    Map.of(BUCKET, data.toAbsolutePath() + "/"), t.metastore())), new TableStatements(templates, DATABASE, key -> BUCKET + key))));
            for (Side side : sides) {
                side.engine().execute(side.statements().createDatabase());
                side.engine().execute(side.statements().createPitTable());
                side.engine().execute(side.statements().createLatestTable(StorageLayout.latestVersionPrefix(StorageLayout.LATEST_EMPTY_VERSION), SHAPE.units()));
            }
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("layout", Map.of("units", SHAPE.units().size(), "packages_per_unit", SHAPE.packagesPerUnit(),
                    "runs_per_day", SHAPE.runsPerDay(), "unit_share_per_run", SHAPE.unitShare(),
                    "packages_per_touched_unit", "1-" + SHAPE.maxPackagesPerRun(), "ids_per_package", SHAPE.minIds() + "-" + SHAPE.maxIds()));
            int registered = 0;
            for (int size : sizes) {
                boolean first = registered == 0;
                List<PitPartition> added = runs.partitions(registered, size);
                for (Side side : sides) {
                    side.statements().addPartitions(added).forEach(side.engine()::execute);
                }
                registered = size;
                results.put(size + "d", one(size, runs, store, sides, templates, first));
            }
            return results;
        } finally {
            // The server is a process of its own: stop it on failure too, or it outlives the benchmark.
            trino.ifPresent(LocalTrino::close);
            Bench.deleteTree(home);
        }
    }

    /** One engine under test with the statements rendered for it. */
    record Side(String name, QueryEngine engine, TableStatements statements) {}

    private static Map<String, Object> one(int days, SimulatedRuns runs, FileSystemObjectStore store, List<Side> sides,
                                           SqlTemplates templates, boolean first) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("days", days);
        long files = 0;
        long bytes = 0;
        long unitFiles = 0;
        long unitBytes = 0;
        for (PitPartition partition : runs.partitions(0, days)) {
            for (ObjectSummary object : store.list(StorageLayout.partitionPrefix(partition))) {
                files++;
                bytes += object.size();
                if (partition.businessUnit().equals(UNIT)) {
                    unitFiles++;
                    unitBytes += object.size();
                }
            }
        }
        result.put("pit_rows", sides.get(0).engine().query(templates.render("testing/count_pit", tokens("database", SqlToken.identifier(DATABASE))))
                .rows().get(0).get(0));
        result.put("pit_files", files);
        result.put("pit_bytes", bytes);
        result.put("unit_pit_files", unitFiles);
        result.put("unit_pit_bytes", unitBytes);
        System.out.printf("%n%d days: %,d PIT rows in %,d files (%,d bytes); unit %s: %,d files%n", days, result.get("pit_rows"), files,
                bytes, UNIT.code(), unitFiles);
        for (Side side : sides) {
            if (first) {
                // The first rebuild on a fresh engine pays for its warm-up (Trino's JIT above all): not timed.
                rebuild(side.engine(), side.statements(), side.name() + "-warm-up", null, null);
            }
            measure(result, side, days, runs, store, templates, unitBytes);
        }
        return result;
    }

    private static void measure(Map<String, Object> result, Side side, int days, SimulatedRuns runs, FileSystemObjectStore store,
                                SqlTemplates templates, long unitPitBytes) {
        String e = side.name();
        QueryEngine engine = side.engine();
        TableStatements statements = side.statements();
        // The rebuilds: full over the whole history, then incremental over the last hour's 12 runs, as the next run does.
        String full = e + "-full-" + days + "d";
        result.put(e + "_rebuild_full_s", seconds(() -> rebuild(engine, statements, full, null, null)));
        long fullRows = latestRows(engine, templates);
        LocalDate lastDay = runs.day(days - 1);
        RunId lastHour = new RunId(lastDay.toString().replace("-", "") + "t230000z-00000000");
        String incremental = e + "-inc-" + days + "d";
        result.put(e + "_rebuild_incremental_s", seconds(() -> rebuild(engine, statements, incremental, lastDay, lastHour)));
        long incrementalRows = latestRows(engine, templates);
        result.put(e + "_latest_rows", incrementalRows);
        result.put(e + "_rebuilds_agree", fullRows == incrementalRows);
        // What a lookup's bytes are measured against: the version the lookups read, whole and its one unit's folder.
        long versionBytes = store.list(StorageLayout.latestVersionPrefix(incremental)).stream().mapToLong(ObjectSummary::size).sum();
        long unitFolderBytes = store.list(LatestLayout.latestUnitPrefix(incremental, UNIT)).stream().mapToLong(ObjectSummary::size).sum();
        result.put(e + "_latest_table_bytes", versionBytes);
        result.put(e + "_latest_unit_folder_bytes", unitFolderBytes);

        SqlToken database = SqlToken.identifier(DATABASE);
        int tableReps = 5;
        // Beyond 30 days one view query takes tens of seconds on Trino: one timed run each, after the digest's
        // warm-up (which reads the same files as the answer's), to keep the benchmark within minutes.
        int viewReps = days <= 30 ? 3 : 1;
        lookup(result, e + "_package_table", engine, tableReps, true,
                templates.render("bench/table_package_digest", tokens("database", database, "table", LATEST), UNIT.code(), PACKAGE.value()),
                statements.latestPackage(UNIT, PACKAGE));
        lookup(result, e + "_package_view", engine, viewReps, days <= 30,
                templates.render("bench/view_package_digest", tokens("database", database), UNIT.code(), PACKAGE.value()),
                templates.render("bench/view_package", tokens("database", database), UNIT.code(), PACKAGE.value()));
        lookup(result, e + "_unit_table", engine, tableReps, true,
                templates.render("bench/table_unit_digest", tokens("database", database, "table", LATEST), UNIT.code()), statements.latestUnit(UNIT));
        lookup(result, e + "_unit_view", engine, viewReps, days <= 30,
                templates.render("bench/view_unit_digest", tokens("database", database), UNIT.code()),
                templates.render("bench/view_unit", tokens("database", database), UNIT.code()));
        if (!(engine instanceof TrinoQueryEngine)) {
            duckDbBytes(result, e, engine, templates, store.location(LatestLayout.latestUnitPrefix(incremental, UNIT)), UNIT, unitPitBytes);
        }
        compare(result, e, versionBytes);
        System.out.printf("%-6s latest version %,d bytes in %d units, unit %s's folder %,d bytes (table / units = %,d)%n", e,
                versionBytes, SHAPE.units().size(), UNIT.code(), unitFolderBytes, versionBytes / SHAPE.units().size());
        System.out.printf("%-6s rebuild full %6.2f s, incremental %6.2f s; latest %,d rows%n", e, result.get(e + "_rebuild_full_s"),
                result.get(e + "_rebuild_incremental_s"), incrementalRows);
        for (String lookup : List.of("package", "unit")) {
            String p = e + "_" + lookup;
            System.out.printf("%-6s %-7s in engine table %,9.1f ms view %,9.1f ms (%5.1f×); JDBC table %,9.1f ms view %,9.1f ms (%5.1f×);"
                            + " bytes table %,d (%.4f of the table) view %,d (%.1f×); answers match: %s%n", e, lookup, result.get(p + "_table_engine_ms"),
                    result.get(p + "_view_engine_ms"), result.get(p + "_engine_speedup"), result.get(p + "_table_jdbc_ms"),
                    result.get(p + "_view_jdbc_ms"), result.get(p + "_jdbc_speedup"), result.get(p + "_table_bytes"),
                    result.get(p + "_table_bytes_share"), result.get(p + "_view_bytes"), result.get(p + "_bytes_ratio"), result.get(p + "_answers_match"));
        }
    }

    /**
     * DuckDB counts no bytes read: as each lookup's bytes, the compressed bytes of the row groups under {@code tableFolder}
     * (the unit's folder of the version) that a min/max reader opens for {@code unit}, and for the view the unit's PIT
     * bytes ({@code unitPitBytes}).
     */
    static void duckDbBytes(Map<String, Object> result, String e, QueryEngine engine, SqlTemplates templates, String tableFolder,
                            BusinessUnit unit, long unitPitBytes) {
        long tableBytes = (Long) engine.query(templates.render("bench/row_groups_in_scope", tokens("location",
                SqlToken.location(tableFolder)), unit.code(), unit.code())).rows().get(0).get(1);
        for (String lookup : List.of("package", "unit")) {
            result.put(e + "_" + lookup + "_table_bytes", tableBytes);
            result.put(e + "_" + lookup + "_view_bytes", unitPitBytes);
        }
    }

    /**
     * Table against view for both lookups of engine {@code e}: whether the digests match, the speedups in the engine and
     * through JDBC, the bytes ratio, and the table's bytes as a share of the version's {@code versionBytes}. A figure
     * not measured gives NaN.
     */
    static void compare(Map<String, Object> result, String e, long versionBytes) {
        for (String lookup : List.of("package", "unit")) {
            String p = e + "_" + lookup;
            result.put(p + "_answers_match", result.get(p + "_table_digest") != null
                    && result.get(p + "_table_digest").equals(result.get(p + "_view_digest")));
            result.put(p + "_engine_speedup", ratio(result.get(p + "_view_engine_ms"), result.get(p + "_table_engine_ms")));
            result.put(p + "_jdbc_speedup", ratio(result.get(p + "_view_jdbc_ms"), result.get(p + "_table_jdbc_ms")));
            result.put(p + "_bytes_ratio", ratio(result.get(p + "_view_bytes"), result.get(p + "_table_bytes")));
            result.put(p + "_table_bytes_share", versionBytes == 0 || result.get(p + "_table_bytes") == null ? Double.NaN
                    : Math.round(((Number) result.get(p + "_table_bytes")).doubleValue() / versionBytes * 10_000) / 10_000.0);
        }
    }

    /**
     * One lookup both ways: {@code digest} answered inside the engine, {@code answer} read whole through JDBC.
     * A warm-up of the digest, and of the answer when {@code warmAnswer}, then the median of {@code reps}. On Trino,
     * the server's own figures for the digest too.
     */
    static void lookup(Map<String, Object> result, String name, QueryEngine engine, int reps, boolean warmAnswer,
                       Statement digest, Statement answer) {
        inEngine(result, name, engine, reps, digest);
        int[] answerRows = new int[1];
        result.put(name + "_jdbc_ms", median(reps, warmAnswer, () -> answerRows[0] = engine.query(answer).rows().size()));
        result.put(name + "_answer_rows", answerRows[0]);
    }

    /**
     * A lookup answered inside the engine ({@code digest}): a warm-up, then the median of {@code reps} as
     * {@code name_engine_ms}, the digest, and on Trino the server's own figures (bytes read, rows processed, times).
     */
    static void inEngine(Map<String, Object> result, String name, QueryEngine engine, int reps, Statement digest) {
        Object[] last = new Object[1];
        result.put(name + "_engine_ms", median(reps, true, () -> last[0] = run(engine, digest)));
        if (last[0] instanceof TrinoQueryEngine.ProfiledResult profiled) {
            result.put(name + "_digest", profiled.result().rows().get(0).toString());
            result.put(name + "_bytes", profiled.statistics().physicalInputBytes());
            result.put(name + "_server_state", profiled.statistics().state());
            result.put(name + "_server_elapsed_ms", profiled.statistics().elapsedMillis());
            result.put(name + "_server_cpu_ms", profiled.statistics().cpuMillis());
            result.put(name + "_rows_processed", profiled.statistics().processedRows());
        } else {
            result.put(name + "_digest", ((dev.soi.core.port.QueryResult) last[0]).rows().get(0).toString());
        }
    }

    private static Object run(QueryEngine engine, Statement statement) {
        return engine instanceof TrinoQueryEngine trino ? trino.queryProfiled(statement) : engine.query(statement);
    }

    /** Rebuilds into version={name}/ and swaps it in, as the batch does; an incremental one when {@code since} is given. */
    private static void rebuild(QueryEngine engine, TableStatements statements, String name, LocalDate windowStart, RunId since) {
        LatestRebuild.rebuild(engine, statements, SHAPE.units(), name, windowStart, since);
    }

    private static long latestRows(QueryEngine engine, SqlTemplates templates) {
        return (Long) engine.query(templates.render("bench/count_latest", tokens("database", SqlToken.identifier(DATABASE)))).rows().get(0).get(0);
    }

    static double seconds(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return round((System.nanoTime() - start) / 1e9);
    }

    static double median(int reps, boolean warmUp, Runnable query) {
        if (warmUp) {
            query.run();
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long start = System.nanoTime();
            query.run();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return round(ms[reps / 2]);
    }

    static double ratio(Object over, Object under) {
        if (!(over instanceof Number) || !(under instanceof Number)) {
            return Double.NaN;
        }
        double b = ((Number) under).doubleValue();
        return b == 0 ? Double.NaN : round(((Number) over).doubleValue() / b);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
