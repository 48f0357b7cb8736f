package dev.soi.embedded;

import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.sql.SqlTemplates.tokens;

import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.Statement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The in-memory DuckDBs {@link DuckDbQueryEngine} runs statements on: one built for each statement, with a view per
 * catalog table over the files present then, so every statement sees the catalog as it is now (another process's
 * changes included); or, for reads of the latest table alone, one kept per catalog state and shared. Thread-safe.
 */
final class DuckDbSessions {
    private static final String PIT = StorageLayout.PIT_TABLE;

    private final SqlTemplates templates;

    DuckDbSessions(SqlTemplates templates) {
        this.templates = requireNonNull(templates, "templates");
    }

    /**
     * A connection for a latest-only read. Building an in-memory DuckDB and its views costs about 20 ms, more
     * than a package lookup itself, so the DuckDB built for one catalog state is kept and each read takes its own
     * connection to it. The key holds every non-PIT table's location and files: a latest version's folder never
     * changes once swapped in, and any swap, new staging table or new file gives a new key. The few most recent
     * states are kept; an evicted one is closed (its open connections keep its database until they close).
     */
    Connection latestReader(DuckDbCatalog.State state) throws SQLException {
        StringBuilder key = new StringBuilder(String.valueOf(state.database()));
        for (Map.Entry<String, String> table : new java.util.TreeMap<>(state.tables()).entrySet()) {
            if (!table.getKey().equals(PIT)) {
                key.append('\n').append(table.getKey()).append('=').append(table.getValue()).append(tableFiles(table.getValue()));
            }
        }
        synchronized (READERS) {
            Connection base = READERS.get(key.toString());
            if (base == null) {
                base = open(state, false);
                READERS.put(key.toString(), base);
            }
            return ((org.duckdb.DuckDBConnection) base).duplicate();
        }
    }

    /** Open DuckDBs for latest-only reads, by catalog state; least recently used first. Guarded by itself. */
    private static final Map<String, Connection> READERS = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Connection> eldest) {
            if (size() <= 8) {
                return false;
            }
            try {
                eldest.getValue().close();
            } catch (SQLException e) {
                // an in-memory database with nothing to flush: nothing is lost
            }
            return true;
        }
    };

    /** A fresh in-memory DuckDB with no view: for statements that name their files themselves. */
    Connection bare() throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        try {
            exec(connection, templates.render("duckdb/session", Map.of()));
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /** A fresh in-memory DuckDB with one view per catalog table over the files present now. */
    Connection open(DuckDbCatalog.State state, boolean withPit) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        try {
            exec(connection, templates.render("duckdb/session", Map.of()));
            if (state.database() == null) {
                return connection;
            }
            SqlToken.Identifier database = SqlToken.identifier(state.database());
            exec(connection, templates.render("duckdb/create_schema", tokens("database", database)));
            if (withPit && state.tables().containsKey(PIT)) {
                List<String> files = new ArrayList<>();
                for (DuckDbCatalog.Partition partition : state.partitions()) {
                    files.addAll(parquetFiles(partition.location()));
                }
                exec(connection, files.isEmpty()
                        ? templates.render("duckdb/pit_view_empty", tokens("database", database))
                        : templates.render("duckdb/pit_view", tokens("database", database, "files", fileList(files))));
            }
            for (Map.Entry<String, String> table : state.tables().entrySet()) {
                if (table.getKey().equals(PIT)) {
                    continue;
                }
                if (StorageLayout.isCompactionTable(table.getKey())) {
                    continue; // read only by its checksum, which names its files (DuckDbCompaction)
                }
                List<String> files = tableFiles(table.getValue());
                SqlToken.Identifier name = SqlToken.identifier(table.getKey());
                if (files.isEmpty()) {
                    exec(connection, templates.render("duckdb/latest_view_empty", tokens("database", database, "table", name)));
                    continue;
                }
                try {
                    exec(connection, templates.render("duckdb/latest_view", tokens("database", database, "table", name,
                            "files", fileList(files))));
                } catch (SQLException e) {
                    // A damaged version fails the statements that read it, not every statement (as on Athena).
                    String reason = "table " + table.getKey() + " at " + table.getValue() + " cannot be read: "
                            + e.getMessage().lines().findFirst().orElse("");
                    exec(connection, templates.render("duckdb/latest_view_unreadable", tokens("database", database, "table", name,
                            "message", SqlToken.literal(reason))));
                }
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    SqlToken fileList(List<String> files) {
        return SqlToken.fragment(files.stream()
                .map(f -> templates.render("duckdb/file", tokens("path", SqlToken.location(f))))
                .toList(), ", ");
    }

    /**
     * The files of a latest version or a staging table at {@code location}: those directly in it (a unit's folder, or a
     * version of an earlier release) and those in its {@code business_unit=U/} folders, sorted.
     */
    static List<String> tableFiles(String location) {
        List<String> files = new ArrayList<>(parquetFiles(location));
        Path folder = Path.of(location);
        if (Files.isDirectory(folder)) {
            try (Stream<Path> entries = Files.list(folder)) {
                entries.filter(Files::isDirectory)
                        .filter(p -> p.getFileName().toString().startsWith(LatestLayout.LATEST_PARTITION_COLUMN + "="))
                        .sorted()
                        .forEach(unit -> files.addAll(parquetFiles(unit.toString())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + folder, e);
            }
        }
        return files;
    }

    /** Parquet files directly in a folder, sorted; none if it does not exist. Dot and underscore files are hidden, as in Hive. */
    static List<String> parquetFiles(String location) {
        Path folder = Path.of(location);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries
                    .filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_");
                    })
                    .map(p -> p.toAbsolutePath().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    static void exec(Connection connection, Statement statement) throws SQLException {
        try (java.sql.Statement st = connection.createStatement()) {
            st.execute(statement.sql());
        }
    }
}
