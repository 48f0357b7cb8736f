package dev.soi.bench;

import static dev.soi.core.sql.SqlTemplates.tokens;

import dev.soi.bench.ScaleHistory.Scale;
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
import dev.soi.core.sql.TableStatements;
import dev.soi.embedded.DuckDbQueryEngine;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.trino.LocalTrino;
import dev.soi.trino.TrinoProperties;
import dev.soi.trino.TrinoQueryEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code bench/run scale [units] [packages] [ids] [days]}: the latest table at the user's scale (default 20 units × 5,000
 * packages × 300 ids, 30M rows, over 30 days of PIT at 10% daily churn; {@link ScaleHistory} lays it out) against the
 * window view over PIT it replaces, on DuckDB and on the Trino stand-in, in one run. On each engine: the full rebuild
 * (the product's statements, one per unit), the incremental rebuild after one 5-minute run's worth of changes (the
 * batch's plan: the touched units recomputed, the others copied), this JVM's heap during each (the batch issues the same
 * statements, so its heap is this), and a package lookup and a unit lookup on the table and on the view, with the bytes
 * each read (as {@link LatestBenchmark} measures them).
 *
 * <p>The same is set up at 1M latest rows first (same units, ids and days; fewer packages), and its incremental rebuild
 * timed too, so the run says how the incremental rebuild grows with the table. Last, on Trino, two other layouts of the
 * same rows, each built by one statement: (b) unpartitioned files sorted by {@code (business_unit, package_name)} with
 * row groups of about 1 MB, and (c) unpartitioned, bucketed by package only; by bytes read per lookup and build time.
 */
final class ScaleBenchmark {
    static final Scale DEFAULT = new Scale(20, 5000, 300, 30);
    /** The size the incremental rebuild is compared with. */
    private static final long REFERENCE_ROWS = 1_000_000L;
    /** Today's 5-minute runs before the measured one: a few hours of the day. */
    private static final int TODAY_RUNS = 36;
    private static final LocalDate FIRST_DAY = LocalDate.parse("2026-11-06");
    private static final String BUCKET = "s3://soi-bench/data/";
    private static final SqlToken LATEST = SqlToken.identifier(StorageLayout.LATEST_TABLE);
    static final List<String> LOOKUPS = List.of("package", "unit");
    private ScaleBenchmark() {}

    /** One engine under test, with the statements rendered for it. */
    record Side(String name, QueryEngine engine, TableStatements statements) {}

    static Map<String, Object> run(Scale scale) throws Exception {
        long start = System.nanoTime();
        Path home = Files.createTempDirectory("soi-bench-scale");
        Optional<LocalTrino> trino = Bench.startTrino(home);
        HeapWatch heap = new HeapWatch();
        try {
            Scale reference = new Scale(scale.units(), (int) Math.max(1, Math.round((double) REFERENCE_ROWS / scale.units() / scale.ids())),
                    scale.ids(), scale.days());
            // The reference first: on a fresh server, its untimed warm-up rebuild pays for Trino's JIT, and cheaply.
            System.out.println("reference: " + reference);
            Map<String, Object> small = measure(reference, home.resolve("reference"), "df_bench_reference", trino, heap, false);
            System.out.println("scale: " + scale);
            Map<String, Object> large = measure(scale, home.resolve("scale"), "df_bench_scale", trino, heap, true);
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("scale", large);
            results.put("reference", small);
            Map<String, Object> acceptance = acceptance(large, small, trino.isPresent() ? List.of("trino", "duckdb") : List.of("duckdb"));
            results.put("acceptance", acceptance);
            results.put("wall_s", Bench.round((System.nanoTime() - start) / 1e9));
            print(scale, large, small, acceptance, trino.isPresent());
            return results;
        } finally {
            // The server is a process of its own: stop it on failure too, or it outlives the benchmark.
            trino.ifPresent(LocalTrino::close);
            Bench.deleteTree(home);
        }
    }

    /** Sets up one scale under {@code root} and measures it; lookups and other layouts only when {@code whole}. */
    private static Map<String, Object> measure(Scale scale, Path root, String database, Optional<LocalTrino> trino, HeapWatch heap,
                                               boolean whole) throws IOException {
        // The history is generated by an in-memory DuckDB of its own, open until the measured run's files are written.
        try (Connection generator = DriverManager.getConnection("jdbc:duckdb:")) {
            return measure(scale, root, database, trino, heap, whole, generator);
        } catch (SQLException e) {
            throw new IllegalStateException("no in-memory DuckDB to generate the history: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> measure(Scale scale, Path root, String database, Optional<LocalTrino> trino, HeapWatch heap,
                                               boolean whole, Connection generator) throws IOException {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("units", scale.units());
        r.put("packages_per_unit", scale.packages());
        r.put("ids_per_package", scale.ids());
        r.put("days", scale.days());
        r.put("latest_rows_expected", scale.latestRows());
        r.put("today_runs", TODAY_RUNS);
        r.put("packages_per_run", scale.runPackages());
        Path data = root.resolve("data");
        FileSystemObjectStore store = new FileSystemObjectStore(data);
        SqlTemplates templates = new SqlTemplates();
        ScaleHistory history = new ScaleHistory(scale, FIRST_DAY, TODAY_RUNS, store, generator, templates);
        long t = System.nanoTime();
        history.write();
        r.put("setup_generate_s", Bench.round((System.nanoTime() - t) / 1e9));
        r.put("pit_rows", history.rows());
        r.put("pit_files", history.files());
        r.put("pit_bytes", bytes(store, StorageLayout.PIT_PREFIX));
        System.out.printf("  PIT: %,d rows in %,d files (%,d bytes) generated in %.1f s%n", history.rows(), history.files(),
                r.get("pit_bytes"), r.get("setup_generate_s"));

        List<Side> sides = new ArrayList<>();
        sides.add(new Side("duckdb", new DuckDbQueryEngine(root.resolve("catalog"), templates), new TableStatements(templates, database, store::location)));
        trino.ifPresent(s -> sides.add(new Side("trino", new TrinoQueryEngine(new TrinoProperties(s.jdbcUrl(), "bench",
                Map.of(BUCKET, data.toAbsolutePath() + "/"), s.metastore()), templates), new TableStatements(templates, database, key -> BUCKET + key))));
        List<BusinessUnit> units = scale.unitList();
        t = System.nanoTime();
        for (Side side : sides) {
            side.engine().execute(side.statements().createDatabase());
            side.engine().execute(side.statements().createPitTable());
            side.engine().execute(side.statements().createLatestTable(StorageLayout.latestVersionPrefix(StorageLayout.LATEST_EMPTY_VERSION), units));
            side.statements().addPartitions(List.copyOf(history.folders().keySet()), history.folders()::get).forEach(side.engine()::execute);
        }
        r.put("setup_register_s", Bench.round((System.nanoTime() - t) / 1e9));

        for (Side side : sides) {
            String e = side.name();
            if (!whole) {
                // The first rebuild on a fresh engine pays for its warm-up (Trino's JIT above all): not timed.
                LatestRebuild.rebuildAsPlanned(side.engine(), side.statements(), units, e + "-warm-up", Map.of(), null);
            }
            rebuild(r, e + "_rebuild_full", heap, () -> LatestRebuild.rebuildAsPlanned(side.engine(), side.statements(), units, e + "-full", Map.of(), null));
            r.put(e + "_latest_rows_full", latestRows(side.engine(), templates, database));
            System.out.printf("  %-6s full rebuild %.1f s%n", e, r.get(e + "_rebuild_full_s"));
        }

        // One more run's files in today's partitions, then the rebuild the batch's next run does.
        int measured = TODAY_RUNS;
        RunId run = history.writeRun(measured);
        Map<BusinessUnit, LocalDate> windows = history.touched(measured);
        r.put("incremental_units_touched", windows.size());
        List<PitPartition> today = windows.keySet().stream().map(u -> new PitPartition(u, history.today())).toList();
        for (Side side : sides) {
            side.statements().addPartitions(today, history.folders()::get).forEach(side.engine()::execute);
        }
        for (Side side : sides) {
            String e = side.name();
            rebuild(r, e + "_rebuild_incremental", heap, () -> LatestRebuild.rebuildAsPlanned(side.engine(), side.statements(), units, e + "-inc", windows, run));
            r.put(e + "_latest_rows", latestRows(side.engine(), templates, database));
            long versionBytes = bytes(store, StorageLayout.latestVersionPrefix(e + "-inc"));
            r.put(e + "_latest_table_bytes", versionBytes);
            r.put(e + "_latest_unit_folder_bytes", bytes(store, LatestLayout.latestUnitPrefix(e + "-inc", units.get(0))));
            System.out.printf("  %-6s incremental rebuild %.2f s; latest %,d rows, %,d bytes%n", e, r.get(e + "_rebuild_incremental_s"),
                    r.get(e + "_latest_rows"), versionBytes);
        }
        if (!whole) {
            return r;
        }
        BusinessUnit unit = units.get(0);
        PackageName pkg = PackageName.of(Scale.packageName(scale.packages() / 2));
        r.put("lookup_unit", unit.code());
        r.put("lookup_package", pkg.value());
        long unitPitBytes = 0;
        for (PitPartition partition : history.partitionsOf(unit)) {
            unitPitBytes += bytes(store, history.folders().get(partition));
        }
        r.put("unit_pit_bytes", unitPitBytes);
        for (Side side : sides) {
            lookups(r, side, templates, database, unit, pkg);
            if (!(side.engine() instanceof TrinoQueryEngine)) {
                LatestBenchmark.duckDbBytes(r, side.name(), side.engine(), templates,
                        store.location(LatestLayout.latestUnitPrefix(side.name() + "-inc", unit)), unit, unitPitBytes);
            }
            LatestBenchmark.compare(r, side.name(), (Long) r.get(side.name() + "_latest_table_bytes"));
        }
        if (trino.isPresent()) {
            ScaleLayouts.measure(r, trino.get(), sides.get(1), sides.get(0).engine(), templates, database, root.resolve("layouts"), units, unit, pkg);
        }
        return r;
    }

    /** Times one rebuild and watches this JVM's heap during it; on Trino, the bytes it read from files too. */
    private static void rebuild(Map<String, Object> r, String name, HeapWatch heap, java.util.function.LongSupplier rebuild) {
        heap.start();
        long t = System.nanoTime();
        long read = rebuild.getAsLong();
        r.put(name + "_s", Bench.round((System.nanoTime() - t) / 1e9));
        HeapWatch.Window window = heap.stop();
        if (read >= 0) {
            r.put(name + "_read_bytes", read);
        }
        r.put(name + "_heap_live_mb", window.liveAfterGcMb());
        r.put(name + "_heap_peak_mb", window.poolPeaksMb());
    }

    /**
     * The two lookups on the table and on the view. A package's answer is also read whole through JDBC; a unit's (1.5M
     * rows at the default scale) only in the engine, since paging it into this JVM would time JDBC, not the layout.
     * The view over a month of history is slow: one timed run of it, after a warm-up.
     */
    private static void lookups(Map<String, Object> r, Side side, SqlTemplates templates, String database, BusinessUnit unit, PackageName pkg) {
        String e = side.name();
        QueryEngine engine = side.engine();
        SqlToken db = SqlToken.identifier(database);
        attempt(r, e + "_package_table", () -> LatestBenchmark.lookup(r, e + "_package_table", engine, 3, true,
                templates.render("bench/table_package_digest", tokens("database", db, "table", LATEST), unit.code(), pkg.value()),
                side.statements().latestPackage(unit, pkg)));
        attempt(r, e + "_package_view", () -> LatestBenchmark.lookup(r, e + "_package_view", engine, 1, false,
                templates.render("bench/view_package_digest", tokens("database", db), unit.code(), pkg.value()),
                templates.render("bench/view_package", tokens("database", db), unit.code(), pkg.value())));
        attempt(r, e + "_unit_table", () -> LatestBenchmark.inEngine(r, e + "_unit_table", engine, 3,
                templates.render("bench/table_unit_digest", tokens("database", db, "table", LATEST), unit.code())));
        attempt(r, e + "_unit_view", () -> LatestBenchmark.inEngine(r, e + "_unit_view", engine, 1,
                templates.render("bench/view_unit_digest", tokens("database", db), unit.code())));
    }

    /** Runs {@code measure}; a failure (an engine's memory limit, say) becomes {@code name_error}, not the benchmark's end. */
    static void attempt(Map<String, Object> r, String name, Runnable measure) {
        try {
            measure.run();
        } catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            r.put(name + "_error", reason);
            System.out.println("  " + name + " failed: " + reason);
        }
    }

    /** The targets, met or not, from the figures of this run. */
    private static Map<String, Object> acceptance(Map<String, Object> large, Map<String, Object> small, List<String> engines) {
        Map<String, Object> a = new LinkedHashMap<>();
        for (String e : engines) {
            double incrementalRatio = LatestBenchmark.ratio(large.get(e + "_rebuild_incremental_s"), small.get(e + "_rebuild_incremental_s"));
            a.put(e + "_incremental_scale_over_reference", incrementalRatio);
            a.put(e + "_incremental_within_2x", incrementalRatio <= 2.0);
        }
        if (engines.contains("trino")) {
            double share = number(large.get("trino_package_table_bytes_share"));
            a.put("trino_package_bytes_share", share);
            a.put("trino_package_bytes_at_most_1pct", share <= 0.01);
            double speedup = number(large.get("trino_package_engine_speedup"));
            a.put("trino_package_engine_speedup", speedup);
            a.put("trino_package_at_least_50x", speedup >= 50);
            double perUnit = number(large.get("trino_latest_table_bytes")) / number(large.get("units"));
            double unitOverShare = Bench.round(number(large.get("trino_unit_table_bytes")) / perUnit);
            a.put("trino_unit_bytes_over_table_per_unit", unitOverShare);
            a.put("trino_unit_at_most_1_5x", unitOverShare <= 1.5);
        }
        return a;
    }

    private static void print(Scale scale, Map<String, Object> s, Map<String, Object> ref, Map<String, Object> a, boolean trino) {
        List<String> engines = trino ? List.of("trino", "duckdb") : List.of("duckdb");
        System.out.println();
        System.out.printf("bench/run scale %d %d %d %d: %s%n", scale.units(), scale.packages(), scale.ids(), scale.days(), scale);
        System.out.printf("setup: PIT %,d rows in %,d files (%,d bytes) generated in %.1f s, registered in %.1f s; reference (%s): %.1f s + %.1f s%n",
                s.get("pit_rows"), s.get("pit_files"), s.get("pit_bytes"), s.get("setup_generate_s"), s.get("setup_register_s"),
                ref.get("latest_rows_expected") + " latest rows", ref.get("setup_generate_s"), ref.get("setup_register_s"));
        StringBuilder header = new StringBuilder(String.format("%-52s", ""));
        engines.forEach(e -> header.append(String.format("%22s", e)));
        System.out.println(header);
        row(engines, "latest rows", e -> String.format("%,d", s.get(e + "_latest_rows")));
        row(engines, "latest table bytes", e -> String.format("%,d", s.get(e + "_latest_table_bytes")));
        row(engines, "full rebuild s", e -> fmt(s.get(e + "_rebuild_full_s")));
        row(engines, "  heap live / peak MB", e -> s.get(e + "_rebuild_full_heap_live_mb") + " / " + s.get(e + "_rebuild_full_heap_peak_mb"));
        row(engines, "incremental rebuild s (" + s.get("packages_per_run") + " packages, " + s.get("incremental_units_touched") + " units)",
                e -> fmt(s.get(e + "_rebuild_incremental_s")));
        row(engines, "  heap live / peak MB", e -> s.get(e + "_rebuild_incremental_heap_live_mb") + " / " + s.get(e + "_rebuild_incremental_heap_peak_mb"));
        row(engines, "  bytes read", e -> s.containsKey(e + "_rebuild_incremental_read_bytes")
                ? String.format("%,d", s.get(e + "_rebuild_incremental_read_bytes")) : "-");
        row(engines, "incremental at " + ref.get("latest_rows_expected") + " rows s (" + ref.get("packages_per_run") + " packages, "
                + ref.get("incremental_units_touched") + " units)", e -> fmt(ref.get(e + "_rebuild_incremental_s")));
        row(engines, "  bytes read", e -> ref.containsKey(e + "_rebuild_incremental_read_bytes")
                ? String.format("%,d", ref.get(e + "_rebuild_incremental_read_bytes")) : "-");
        row(engines, "incremental scale / reference", e -> fmt(a.get(e + "_incremental_scale_over_reference")));
        for (String lookup : LOOKUPS) {
            String p = "_" + lookup;
            row(engines, lookup + " lookup in engine: table ms", e -> fmt(s.get(e + p + "_table_engine_ms")));
            row(engines, lookup + " lookup in engine: view ms", e -> fmt(s.get(e + p + "_view_engine_ms")));
            row(engines, "  view / table", e -> fmt(s.get(e + p + "_engine_speedup")));
            row(engines, "  table bytes (share of the table)", e -> String.format("%,d (%s)", s.get(e + p + "_table_bytes"), s.get(e + p + "_table_bytes_share")));
            row(engines, "  view bytes", e -> String.format("%,d", s.get(e + p + "_view_bytes")));
            row(engines, "  answers match", e -> String.valueOf(s.get(e + p + "_answers_match")));
        }
        row(engines, "package lookup through JDBC: table / view ms", e -> fmt(s.get(e + "_package_table_jdbc_ms")) + " / "
                + fmt(s.get(e + "_package_view_jdbc_ms")));
        if (trino) {
            System.out.println();
            System.out.printf("%-44s%14s%14s%22s%22s%8s%12s%n", "layouts on Trino (same rows)", "build s", "table bytes", "package bytes (share)",
                    "unit bytes (x t/units)", "files", "row groups");
            double units = number(s.get("units"));
            System.out.printf("%-44s%14s%,14d%22s%22s%8s%12s%n", "(a) partitioned by unit, bucketed by package", fmt(s.get("trino_rebuild_full_s")),
                    s.get("trino_latest_table_bytes"), String.format("%,d (%s)", s.get("trino_package_table_bytes"), s.get("trino_package_table_bytes_share")),
                    String.format("%,d (%s)", s.get("trino_unit_table_bytes"), a.get("trino_unit_bytes_over_table_per_unit")), "-", "-");
            for (String name : List.of("sorted", "bucketed")) {
                String p = "trino_layout_" + name;
                String label = name.equals("sorted") ? "(b) unpartitioned, sorted, 1 MB row groups" : "(c) unpartitioned, bucketed by package only";
                if (s.containsKey(p + "_build_error")) {
                    System.out.printf("%-44s build failed: %s%n", label, s.get(p + "_build_error"));
                    if (!s.containsKey(p + "_copy_s")) {
                        continue;
                    }
                    label = "    the same, copied from the current version";
                }
                if (s.containsKey(p + "_lookups_error")) {
                    System.out.printf("%-44s lookups failed: %s%n", label, s.get(p + "_lookups_error"));
                    continue;
                }
                double perUnit = number(s.get(p + "_table_bytes")) / units;
                System.out.printf("%-44s%14s%,14d%22s%22s%8s%12s%n", label, fmt(s.getOrDefault(p + "_rebuild_full_s", s.get(p + "_copy_s"))),
                        s.get(p + "_table_bytes"),
                        String.format("%,d (%s)", s.get(p + "_package_bytes"), s.get(p + "_package_bytes_share")),
                        String.format("%,d (%s)", s.get(p + "_unit_bytes"), fmt(Bench.round(number(s.get(p + "_unit_bytes")) / perUnit))),
                        s.get(p + "_files"), s.get(p + "_row_groups"));
            }
        }
        System.out.println();
        System.out.println("acceptance: " + a);
    }

    private static void row(List<String> engines, String label, java.util.function.Function<String, String> value) {
        StringBuilder line = new StringBuilder(String.format("%-52s", label));
        engines.forEach(e -> line.append(String.format("%22s", value.apply(e))));
        System.out.println(line);
    }

    private static String fmt(Object value) {
        return value instanceof Number n ? String.format("%,.2f", n.doubleValue()) : String.valueOf(value);
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static double share(Object part, long whole) {
        return whole == 0 || !(part instanceof Number n) ? Double.NaN : Math.round(n.doubleValue() / whole * 10_000) / 10_000.0;
    }

    private static long latestRows(QueryEngine engine, SqlTemplates templates, String database) {
        return (Long) engine.query(templates.render("bench/count_latest", tokens("database", SqlToken.identifier(database)))).rows().get(0).get(0);
    }

    private static long bytes(FileSystemObjectStore store, String prefix) {
        return store.list(prefix).stream().mapToLong(ObjectSummary::size).sum();
    }

    static long folderBytes(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
