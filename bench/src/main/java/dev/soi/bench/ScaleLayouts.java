package dev.soi.bench;

import static dev.soi.core.sql.SqlTemplates.tokens;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.Statement;
import dev.soi.trino.LocalTrino;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * {@code bench/run scale}'s comparison of the latest table's layout with two others on Trino, over the same rows: (b)
 * unpartitioned files sorted by {@code (business_unit, package_name)} with row groups of about 1 MB, and (c)
 * unpartitioned, bucketed by package only; by build time, files, row groups and the bytes each lookup reads.
 */
final class ScaleLayouts {
    /**
     * Layout (b) on Trino: one writer, so the statement's ORDER BY reaches the file whole, and row groups of about 1 MB.
     * Athena's CTAS has no property for either; these are Trino session properties.
     */
    private static final String SORTED_SESSION = "hive.compression_codec:SNAPPY;hive.parquet_writer_block_size:1MB;"
            + "scale_writers:false;redistribute_writes:false;task_min_writer_count:1;task_max_writer_count:1";
    /** What {@code TrinoQueryEngine} sets on every session. */
    private static final String DEFAULT_SESSION = "hive.compression_codec:SNAPPY";

    private ScaleLayouts() {}

    /**
     * Layouts (b) and (c) on Trino, each in a folder of its own, with its build time, files, row groups and the bytes each
     * lookup read; their answers must equal the latest table's (the digests). (b) is built from PIT one unit at a time,
     * as (a) is (a CTAS for the first unit, an INSERT for each other), sorted, with small row groups. (c) is one CTAS from
     * PIT over every unit; when that fails (the window then holds the whole table in the engine's memory), one CTAS
     * copying the current version instead, and the failure is reported.
     */
    static void measure(Map<String, Object> r, LocalTrino server, ScaleBenchmark.Side trino, QueryEngine duckdb, SqlTemplates templates,
                                String database, Path folders, List<BusinessUnit> units, BusinessUnit unit, PackageName pkg) {
        SqlToken db = SqlToken.identifier(database);
        SqlToken sorted = SqlToken.identifier(StorageLayout.LATEST_TABLE + "_sorted");
        Path sortedFolder = folders.resolve("sorted").toAbsolutePath();
        ScaleBenchmark.attempt(r, "trino_layout_sorted_build", () -> {
            long t = System.nanoTime();
            for (BusinessUnit u : units) {
                Statement rows = templates.render("bench/latest_unit_rows", tokens("business_unit", SqlToken.literal(u.code()),
                        "select", SqlToken.fragment(List.of(trino.statements().latestUnitFromPit(u)), "")));
                executeWithSession(server, u.equals(units.get(0))
                        ? templates.render("bench/create_latest_sorted", tokens("database", db, "table", sorted,
                                "location", SqlToken.location("local://" + sortedFolder + "/"), "select", SqlToken.fragment(List.of(rows), "")))
                        : templates.render("bench/insert_latest_sorted", tokens("database", db, "table", sorted,
                                "select", SqlToken.fragment(List.of(rows), ""))), SORTED_SESSION);
            }
            r.put("trino_layout_sorted_rebuild_full_s", Bench.round((System.nanoTime() - t) / 1e9));
        });
        SqlToken bucketed = SqlToken.identifier(StorageLayout.LATEST_TABLE + "_bucketed");
        Path bucketedFolder = folders.resolve("bucketed").toAbsolutePath();
        ScaleBenchmark.attempt(r, "trino_layout_bucketed_build", () -> {
            long t = System.nanoTime();
            executeWithSession(server, templates.render("bench/create_latest_bucketed", tokens("database", db, "table", bucketed,
                    "location", SqlToken.location("local://" + bucketedFolder + "/"), "select", SqlToken.fragment(List.of(
                            templates.render("common/latest_from_pit", tokens("database", db))), ""))), DEFAULT_SESSION);
            r.put("trino_layout_bucketed_rebuild_full_s", Bench.round((System.nanoTime() - t) / 1e9));
        });
        if (r.containsKey("trino_layout_bucketed_build_error")) {
            ScaleBenchmark.attempt(r, "trino_layout_bucketed_copy", () -> {
                try {
                    // The failed statement may have left nothing behind, or files the new one must not find.
                    if (Files.exists(bucketedFolder)) {
                        Bench.deleteTree(bucketedFolder);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot clear " + bucketedFolder, e);
                }
                long t = System.nanoTime();
                executeWithSession(server, templates.render("bench/create_latest_bucketed", tokens("database", db, "table", bucketed,
                        "location", SqlToken.location("local://" + bucketedFolder + "/"), "select", SqlToken.fragment(List.of(
                                templates.render("bench/latest_rows", tokens("database", db))), ""))), DEFAULT_SESSION);
                r.put("trino_layout_bucketed_copy_s", Bench.round((System.nanoTime() - t) / 1e9));
            });
        }
        for (Map.Entry<String, Path> layout : Map.of("sorted", sortedFolder, "bucketed", bucketedFolder).entrySet()) {
            String p = "trino_layout_" + layout.getKey();
            SqlToken table = SqlToken.identifier(StorageLayout.LATEST_TABLE + "_" + layout.getKey());
            ScaleBenchmark.attempt(r, p + "_lookups", () -> measureLayout(r, p, table, layout.getValue(), trino.engine(), duckdb, templates, db, unit, pkg));
        }
    }

    /** One layout's files, row groups, and the two lookups' bytes and times on Trino. */
    private static void measureLayout(Map<String, Object> r, String p, SqlToken table, Path folder, QueryEngine trino, QueryEngine duckdb,
                                      SqlTemplates templates, SqlToken db, BusinessUnit unit, PackageName pkg) {
        long tableBytes = ScaleBenchmark.folderBytes(folder);
        r.put(p + "_table_bytes", tableBytes);
        try (Stream<Path> files = Files.list(folder)) {
            r.put(p + "_files", files.filter(Files::isRegularFile).count());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
        List<Object> groups = duckdb.query(templates.render("bench/row_groups_in_scope", tokens("location",
                SqlToken.location(folder + "/")), unit.code(), unit.code())).rows().get(0);
        r.put(p + "_row_groups", groups.get(2));
        r.put(p + "_unit_row_groups_in_scope", groups.get(0));
        for (String lookup : ScaleBenchmark.LOOKUPS) {
            Statement digest = lookup.equals("package")
                    ? templates.render("bench/table_package_digest", tokens("database", db, "table", table), unit.code(), pkg.value())
                    : templates.render("bench/table_unit_digest", tokens("database", db, "table", table), unit.code());
            LatestBenchmark.inEngine(r, p + "_" + lookup, trino, 3, digest);
            r.put(p + "_" + lookup + "_bytes_share", ScaleBenchmark.share(r.get(p + "_" + lookup + "_bytes"), tableBytes));
            r.put(p + "_" + lookup + "_answers_match", r.get(p + "_" + lookup + "_digest").equals(r.get("trino_" + lookup + "_table_digest")));
        }
    }

    /** Runs one statement on its own Trino session with {@code sessionProperties} ({@code name:value;…}). */
    private static void executeWithSession(LocalTrino server, Statement statement, String sessionProperties) {
        Properties info = new Properties();
        info.setProperty("user", "bench");
        info.setProperty("timezone", "UTC");
        info.setProperty("sessionProperties", sessionProperties);
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), info);
             PreparedStatement ps = connection.prepareStatement(statement.sql())) {
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(statement.template() + ": " + e.getMessage(), e);
        }
    }
}
