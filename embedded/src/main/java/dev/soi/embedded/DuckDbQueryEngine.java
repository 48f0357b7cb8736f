package dev.soi.embedded;

import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.sql.SqlTemplates.tokens;

import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.Statement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded query engine: DuckDB in-process over the Parquet files in the data folder.
 *
 * <p>It takes the same statements as Athena and maps each by its template name (never by parsing SQL):
 * <table>
 *   <caption>Athena template → DuckDB operation</caption>
 *   <tr><th>athena/create_database</th><td>catalog: database name; {@code duckdb/create_schema}</td></tr>
 *   <tr><th>athena/create_pit_table</th><td>catalog: table location, if absent</td></tr>
 *   <tr><th>athena/create_latest_table</th><td>catalog: the version folder its location template names, if absent (the
 *       latest table) or always (a candidate); the view reads the unit folders under it, the unit from the folder</td></tr>
 *   <tr><th>athena/add_partitions</th><td>catalog: each {@code athena/partition_spec} part, if absent</td></tr>
 *   <tr><th>athena/create_latest_unit_ctas</th><td>{@code duckdb/copy_select} of the same SELECT into the unit's
 *       folder of the version (refused if the folder holds files, as Athena does); catalog: staging table</td></tr>
 *   <tr><th>athena/swap_latest</th><td>catalog: the latest table's version folder</td></tr>
 *   <tr><th>athena/drop_latest_table</th><td>catalog: forget the latest table</td></tr>
 *   <tr><th>athena/pit_units</th><td>the units of the catalog's partitions</td></tr>
 *   <tr><th>athena/drop_staging_table</th><td>catalog: forget the staging table; files stay</td></tr>
 *   <tr><th>athena/compact_partition, athena/partition_checksum, athena/compaction_checksum</th><td>over one partition's
 *       (or the compaction table's) files only: {@link DuckDbCompaction}</td></tr>
 *   <tr><th>anything else</th><td>the rendered SQL, unchanged, with its parameters</td></tr>
 * </table>
 * A statement that writes or reads PIT runs on a fresh in-memory DuckDB with one view per catalog table
 * ({@code duckdb/pit_view}, {@code duckdb/latest_view}) over the files present, so it sees the catalog as it is now,
 * including changes made by another process. Reads of the latest table alone ({@code queries/latest_*}) get no PIT view,
 * so their cost does not grow with the history, and reuse an in-memory DuckDB already built for the same catalog state
 * (see {@link DuckDbSessions}). Thread-safe.
 */
public final class DuckDbQueryEngine implements QueryEngine {
    private static final String PIT = StorageLayout.PIT_TABLE;
    /**
     * Reads that touch only the latest table. Their connection skips the PIT view, whose creation lists every
     * registered partition's files and so grows with the history; a lookup then costs the same at any history
     * length, as it does on Athena, which reads only the latest table's location. The benchmark's in-engine forms
     * of the two lookups read the same table alone, so they are measured as the lookups run.
     */
    private static final java.util.Set<String> LATEST_ONLY = java.util.Set.of(
            "queries/latest_package", "queries/latest_unit", "queries/latest_unit_page",
            "bench/table_package_digest", "bench/table_unit_digest");
    private static final String LATEST = StorageLayout.LATEST_TABLE;

    private final DuckDbCatalog catalog;
    private final SqlTemplates templates;
    private final DuckDbSessions sessions;
    private final DuckDbCompaction compaction;
    private final Object writeLock = new Object();

    /** @param catalogDirectory where the catalog file lives ({@code $SOI_HOME/catalog} locally) */
    public DuckDbQueryEngine(Path catalogDirectory) {
        this(catalogDirectory, new SqlTemplates());
    }

    public DuckDbQueryEngine(Path catalogDirectory, SqlTemplates templates) {
        this.catalog = new DuckDbCatalog(catalogDirectory);
        this.templates = requireNonNull(templates, "templates");
        this.sessions = new DuckDbSessions(templates);
        this.compaction = new DuckDbCompaction(templates, sessions);
    }

    @Override
    public void execute(Statement statement) {
        requireNonNull(statement, "statement");
        switch (statement.template()) {
            case "athena/create_database" -> updateCatalog(statement, state -> {
                String database = statement.tokenText("database");
                DuckDbCatalog.checkDatabase(state, database);
                return new DuckDbCatalog.State(database, state.tables(), state.partitions());
            });
            case "athena/create_pit_table" -> createTable(statement, PIT);
            case "athena/create_latest_table" -> updateCatalog(statement, state -> {
                checkDatabase(state, statement);
                String table = statement.tokenText("table");
                if (table.equals(LATEST)) {
                    state.tables().putIfAbsent(table, versionOf(statement));
                } else {
                    state.tables().put(table, versionOf(statement));
                }
                return state;
            });
            case "athena/drop_latest_table" -> updateCatalog(statement, state -> {
                checkDatabase(state, statement);
                state.tables().remove(LATEST);
                return state;
            });
            case "athena/add_partitions" -> updateCatalog(statement, state -> {
                checkDatabase(state, statement);
                SqlToken.Fragment parts = (SqlToken.Fragment) statement.token("partitions");
                for (Statement part : parts.parts()) {
                    DuckDbCatalog.Partition partition = new DuckDbCatalog.Partition(
                            ((SqlToken.Literal) part.token("business_unit")).value(),
                            ((SqlToken.Literal) part.token("request_date")).value(),
                            part.tokenText("location"));
                    boolean registered = state.partitions().stream().anyMatch(p ->
                            p.businessUnit().equals(partition.businessUnit()) && p.requestDate().equals(partition.requestDate()));
                    if (!registered) {
                        state.partitions().add(partition);
                    }
                }
                return state;
            });
            case "athena/create_latest_unit_ctas" -> createLatest(statement);
            case "athena/swap_latest" -> updateCatalog(statement, state -> {
                checkDatabase(state, statement);
                requireTable(state, statement, LATEST);
                state.tables().put(LATEST, versionOf(statement));
                return state;
            });
            case "athena/set_partition_location" -> updateCatalog(statement, state -> {
                checkDatabase(state, statement);
                String unit = ((SqlToken.Literal) statement.token("business_unit")).value();
                String date = ((SqlToken.Literal) statement.token("request_date")).value();
                boolean found = state.partitions().removeIf(p -> p.businessUnit().equals(unit) && p.requestDate().equals(date));
                if (!found) {
                    throw new IllegalStateException("partition business_unit=" + unit + "/request_date=" + date + " is not registered");
                }
                state.partitions().add(new DuckDbCatalog.Partition(unit, date, statement.tokenText("location")));
                return state;
            });
            case "athena/compact_partition" -> updateCatalog(statement, state -> {
                checkDatabase(state, statement);
                state.tables().put(statement.tokenText("compaction_table"), compaction.compactPartition(state, statement));
                return state;
            });
            case "athena/drop_staging_table" -> updateCatalog(statement, state -> {
                checkDatabase(state, statement);
                state.tables().remove(statement.tokenText("staging_table"));
                return state;
            });
            default -> run(statement, false);
        }
    }

    @Override
    public QueryResult query(Statement statement) {
        requireNonNull(statement, "statement");
        // Athena's checksum() has no DuckDB twin, and each checksum reads one folder's files, not the whole table.
        QueryResult fromCatalog = switch (statement.template()) {
            case "athena/partition_checksum" -> compaction.partitionChecksum(catalog.read(), statement);
            case "athena/compaction_checksum" -> compaction.compactionChecksum(catalog.read(), statement);
            case "athena/pit_units" -> new QueryResult(List.of("business_unit"), catalog.read().partitions().stream()
                    .map(DuckDbCatalog.Partition::businessUnit).distinct().sorted().map(unit -> List.<Object>of(unit)).toList());
            default -> null;
        };
        if (fromCatalog != null) {
            return fromCatalog;
        }
        if (DUCKDB_FORMS.contains(statement.template())) {
            // Athena's array_join() has no DuckDB twin: the DuckDB form takes the same tokens and parameters.
            String name = "duckdb/" + statement.template().substring("athena/".length());
            return run(templates.render(name, statement.tokens(), statement.parameters().toArray()), true);
        }
        return run(statement, true);
    }

    /** Queries whose text is Athena's only: run as the {@code duckdb/} template of the same name. */
    private static final java.util.Set<String> DUCKDB_FORMS = java.util.Set.of("athena/read_model_changes", "athena/read_model_full");

    /**
     * Runs free-form SQL typed by a person ({@code ./soi query}), with unqualified names resolving in the
     * product's database. Not for product code: product SQL comes from templates. Only one SELECT over the
     * two tables gets through ({@link IllegalArgumentException} otherwise), and it runs with no file access
     * beyond the tables' folders; an engine error is one line in {@link QueryFailedException#reason()}.
     */
    public QueryResult queryInteractive(String sql) {
        requireNonNull(sql, "sql");
        DuckDbCatalog.State state = catalog.read();
        if (state.database() == null) {
            throw new IllegalStateException("the local catalog is empty: run bootstrap first (./soi local does it at start)");
        }
        try (Connection connection = sessions.open(state, true)) {
            DuckDbSessions.exec(connection, templates.render("duckdb/use_schema", tokens("database", SqlToken.identifier(state.database()))));
            // A reader only: one SELECT over the two tables, and no file access beyond their folders.
            ReadOnlyQueries.checkReadStatement(connection, templates, sql, new java.util.TreeSet<>(List.of(PIT, StorageLayout.LATEST_TABLE)));
            List<String> folders = new ArrayList<>(state.tables().values());
            state.partitions().forEach(p -> folders.add(p.location()));
            ReadOnlyQueries.lockDown(connection, templates, folders);
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                return DuckDbResults.read(ps);
            }
        } catch (SQLException e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
            throw new QueryFailedException("soi-query", reason, e);
        }
    }

    /** The PIT partitions the catalog has registered, for inspection by tools and tests. */
    public List<dev.soi.core.domain.PitPartition> registeredPartitions() {
        return catalog.read().partitions().stream()
                .map(p -> new dev.soi.core.domain.PitPartition(dev.soi.core.domain.BusinessUnit.of(p.businessUnit()), LocalDate.parse(p.requestDate())))
                .sorted().toList();
    }

    /** Table names in the catalog (the two tables and any staging table), for inspection by tools and tests. */
    public java.util.Set<String> tables() {
        return java.util.Set.copyOf(catalog.read().tables().keySet());
    }

    private void createTable(Statement statement, String table) {
        updateCatalog(statement, state -> {
            checkDatabase(state, statement);
            state.tables().putIfAbsent(table, statement.tokenText("location"));
            return state;
        });
    }

    /** The version folder a latest-table statement's location template names. */
    private static String versionOf(Statement statement) {
        return ((SqlToken.LocationTemplate) statement.token("location_template")).prefix().uri();
    }

    private void createLatest(Statement statement) {
        synchronized (writeLock) {
            DuckDbCatalog.State state = catalog.read();
            checkDatabase(state, statement);
            String staging = statement.tokenText("staging_table");
            String location = statement.tokenText("location");
            Path folder = Path.of(location);
            if (!DuckDbSessions.parquetFiles(location).isEmpty()) {
                // Athena refuses a CTAS whose external_location holds data; keep the local engine as strict.
                throw new QueryFailedException(statement.template(),
                        "target location " + location + " is not empty; a CTAS needs a fresh location", null);
            }
            Statement copy = templates.render("duckdb/copy_select", tokens(
                    "select", statement.token("select"),
                    "file", SqlToken.location(folder.resolve("data.parquet").toString())));
            try {
                Files.createDirectories(folder);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + folder, e);
            }
            run(copy, false);
            state.tables().put(staging, location);
            catalog.write(state);
        }
    }

    private void updateCatalog(Statement statement, java.util.function.UnaryOperator<DuckDbCatalog.State> change) {
        synchronized (writeLock) {
            try {
                catalog.write(change.apply(catalog.read()));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new QueryFailedException(statement.template(), e.getMessage(), e);
            }
        }
    }

    private static void checkDatabase(DuckDbCatalog.State state, Statement statement) {
        String database = statement.tokenText("database");
        if (state.database() == null) {
            throw new IllegalStateException("database " + database + " does not exist; run bootstrap first");
        }
        DuckDbCatalog.checkDatabase(state, database);
    }

    private static void requireTable(DuckDbCatalog.State state, Statement statement, String table) {
        if (!state.tables().containsKey(table)) {
            throw new IllegalStateException("table " + statement.tokenText("database") + "." + table + " does not exist");
        }
    }

    private QueryResult run(Statement statement, boolean returnsRows) {
        DuckDbCatalog.State state = catalog.read();
        try (Connection connection = LATEST_ONLY.contains(statement.template()) ? sessions.latestReader(state) : sessions.open(state, true)) {
            return DuckDbResults.run(connection, statement, returnsRows);
        } catch (SQLException e) {
            throw new QueryFailedException(statement.template(), e.getMessage(), e);
        }
    }
}
