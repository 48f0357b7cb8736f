package dev.soi.trino;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.Statement;
import io.trino.jdbc.QueryStats;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * {@link QueryEngine} on Trino over JDBC: the engine behind Athena engine v3, used to prove our Athena SQL.
 *
 * <p>Statements run as rendered for Athena except the few {@link AthenaToTrino} translates. Every call opens
 * its own connection (a Trino connection is a stateless HTTP client), so the engine is thread-safe. Each session
 * runs in UTC, as Athena does, and writes Snappy Parquet ({@code hive.compression_codec}, Trino's stand-in
 * for Athena's {@code write_compression}).
 *
 * <p>Three things differ from Athena and are the stand-in's, not our SQL's: the swap of the latest table sets its
 * properties in the server's file metastore ({@link FileMetastoreTables}: one atomic file replace, as Glue's UpdateTable
 * is one update), since Trino's Hive connector has no SQL to set table properties; a table's folder is created
 * before the table, since a local folder, unlike an S3 prefix, must exist to be a location; and for the same
 * reason a CTAS with an empty result becomes an empty table over an empty folder (see {@link #createStaging}).
 */
public final class TrinoQueryEngine implements QueryEngine {
    private final TrinoProperties properties;
    private final AthenaToTrino translation;
    private final FileMetastoreTables metastore;

    public TrinoQueryEngine(TrinoProperties properties) {
        this(properties, new SqlTemplates());
    }

    public TrinoQueryEngine(TrinoProperties properties, SqlTemplates templates) {
        this.properties = requireNonNull(properties, "properties");
        this.translation = new AthenaToTrino(templates, properties.folders());
        this.metastore = properties.metastore() == null ? null : new FileMetastoreTables(properties.metastore());
    }

    @Override
    public void execute(Statement statement) {
        execute(statement, new Cancellation());
    }

    /**
     * As {@link #execute(Statement)}, and {@code cancellation} can stop it from another thread: the Trino query
     * running then is cancelled and no later one of the same statement starts. Returns the bytes Trino read.
     */
    public long execute(Statement statement, Cancellation cancellation) {
        requireNonNull(cancellation, "cancellation");
        try (Connection connection = connect()) {
            if (statement.template().equals("athena/add_partitions")) {
                registerPartitions(connection, statement, cancellation);
                return cancellation.physicalInputBytes();
            }
            if (statement.template().equals("athena/swap_latest")) {
                swap(statement);
                return 0;
            }
            for (Statement trino : translation.translate(statement)) {
                if (trino.template().equals("trino/create_pit_table") || trino.template().equals("trino/create_latest_table")) {
                    Files.createDirectories(AthenaToTrino.folderOf(trino.token("location")));
                }
                if (trino.template().equals("trino/create_latest_unit_ctas")) {
                    createStaging(connection, trino, cancellation);
                } else {
                    run(connection, trino, cancellation).close();
                }
            }
            return cancellation.physicalInputBytes();
        } catch (SQLException e) {
            throw failed(statement, e);
        } catch (IOException e) {
            throw new QueryFailedException(statement.template(), "cannot create the table's local folder: " + e.getMessage(), e);
        }
    }

    @Override
    public QueryResult query(Statement statement) {
        List<Statement> translated = translation.translate(statement);
        if (translated.size() != 1) {
            throw new IllegalArgumentException(statement.template() + " is not a query");
        }
        try (Connection connection = connect(); PreparedStatement ps = run(connection, translated.get(0), new Cancellation())) {
            return TrinoResults.read(ps.getResultSet());
        } catch (SQLException e) {
            throw failed(statement, e);
        }
    }

    /**
     * What a statement returned, as Trino's client protocol renders it, for a stand-in of a service that answers in
     * text (Athena's {@code GetQueryResults}): column names, Trino type names ({@code varchar}, {@code timestamp(3)}),
     * precision and scale, and each value as text, null for NULL.
     */
    public record TextResult(List<String> columns, List<String> types, List<Integer> precisions, List<Integer> scales,
                             List<List<String>> rows) {}

    /**
     * Runs one statement as {@link #execute(Statement, Cancellation)} does; a statement that returns rows (only an
     * untranslated one can) returns them as text.
     */
    public Optional<TextResult> run(Statement statement, Cancellation cancellation) {
        requireNonNull(cancellation, "cancellation");
        if (AthenaToTrino.TRANSLATED.contains(statement.template())) {
            execute(statement, cancellation);
            return Optional.empty();
        }
        try (Connection connection = connect(); PreparedStatement ps = run(connection, statement, cancellation)) {
            ResultSet rs = ps.getResultSet();
            return rs == null ? Optional.empty() : Optional.of(TrinoResults.readText(rs));
        } catch (SQLException e) {
            throw failed(statement, e);
        }
    }

    /**
     * What the server counted for one query: its id, final state, the compressed bytes it read from files
     * ({@code physicalInputBytes}), the rows it processed, and its elapsed and CPU time on the server.
     */
    public record QueryStatistics(String queryId, String state, long physicalInputBytes, long processedRows, long elapsedMillis,
                                  long cpuMillis) {}

    /** A query's result with what the server counted for it. */
    public record ProfiledResult(QueryResult result, QueryStatistics statistics) {}

    /**
     * Runs a query like {@link #query} and returns the server's statistics with its result: the statistics of
     * the last progress report, read after the whole result was consumed, so they are the finished query's. For
     * benchmarks.
     */
    public ProfiledResult queryProfiled(Statement statement) {
        List<Statement> translated = translation.translate(statement);
        if (translated.size() != 1) {
            throw new IllegalArgumentException(statement.template() + " is not a query");
        }
        Cancellation call = new Cancellation();
        try (Connection connection = connect(); PreparedStatement ps = run(connection, translated.get(0), call)) {
            QueryResult result = TrinoResults.read(ps.getResultSet());
            QueryStats stats = call.lastStatistics();
            if (stats == null) {
                throw new QueryFailedException(statement.template(), "the server sent no statistics", null);
            }
            return new ProfiledResult(result, new QueryStatistics(stats.getQueryId(), stats.getState(), stats.getPhysicalInputBytes(),
                    stats.getProcessedRows(), stats.getElapsedTimeMillis(), stats.getCpuTimeMillis()));
        } catch (SQLException e) {
            throw failed(statement, e);
        }
    }

    /** The PIT partitions the catalog knows, as (business_unit, request_date) pairs. */
    public Set<List<String>> registeredPartitions(String database) {
        return partitions(query(translation.registeredPartitions(database)));
    }

    /** The tables of {@code database}, sorted. */
    public List<String> tables(String database) {
        return query(translation.tables(database)).rows().stream().map(row -> (String) row.get(0)).toList();
    }

    /**
     * Forgets every table of {@code database} and the schema itself, so the next bootstrap starts from an empty
     * catalog; the tables are external, so their files stay. For tests that share one server.
     */
    public void dropSchema(String database) {
        try (Connection connection = connect()) {
            for (String table : tables(database)) {
                run(connection, translation.dropTable(database, table), new Cancellation()).close();
            }
            run(connection, translation.dropSchema(database), new Cancellation()).close();
        } catch (SQLException e) {
            throw new QueryFailedException("trino/drop_schema", reason(e), e);
        }
    }

    private static Set<List<String>> partitions(QueryResult registered) {
        Set<List<String>> partitions = new HashSet<>();
        for (List<Object> row : registered.rows()) {
            partitions.add(List.of((String) row.get(0), (String) row.get(1)));
        }
        return partitions;
    }

    /**
     * Runs the CTAS. A CTAS whose result is empty writes no file, so on a local disk its folder never appears
     * and Trino refuses the table; on S3 an empty prefix is a valid location and Athena creates the empty table.
     * Only then is the same empty table made over a new empty folder.
     */
    private void createStaging(Connection connection, Statement ctas, Cancellation cancellation) throws SQLException, IOException {
        java.nio.file.Path target = AthenaToTrino.folderOf(ctas.token("location"));
        if (Files.isDirectory(target)) {
            // An S3 prefix whose objects were all deleted is gone; a local folder stays behind, empty, and Trino refuses
            // a CTAS into an existing folder (a full rebuild writing a unit again after an invocation stopped in it).
            try (java.util.stream.Stream<java.nio.file.Path> entries = Files.list(target)) {
                if (entries.findAny().isEmpty()) {
                    Files.delete(target);
                }
            }
        }
        try {
            run(connection, ctas, cancellation).close();
        } catch (SQLException e) {
            java.nio.file.Path folder = AthenaToTrino.folderOf(ctas.token("location"));
            if (e.getMessage() == null || !e.getMessage().contains("External table location does not exist") || Files.exists(folder)) {
                throw e;
            }
            Files.createDirectories(folder);
            run(connection, translation.emptyStagingTable(ctas), cancellation).close();
        }
    }

    private void swap(Statement swap) {
        if (metastore == null) {
            throw new QueryFailedException(swap.template(), "this Trino engine was given no metastore folder "
                    + "(TrinoProperties.metastore), where the swap sets the latest table's properties", null);
        }
        try {
            metastore.setProperties(((dev.soi.core.sql.SqlToken.Identifier) swap.token("database")).name(),
                    dev.soi.core.domain.StorageLayout.LATEST_TABLE, translation.swapProperties(swap));
        } catch (IllegalStateException | java.io.UncheckedIOException e) {
            throw new QueryFailedException(swap.template(), e.getMessage(), e);
        }
    }

    private void registerPartitions(Connection connection, Statement addPartitions, Cancellation cancellation) throws SQLException {
        String database = addPartitions.token("database").render();
        Set<List<String>> registered;
        try (PreparedStatement ps = run(connection, translation.registeredPartitions(database), cancellation)) {
            registered = partitions(TrinoResults.read(ps.getResultSet()));
        }
        for (AthenaToTrino.PartitionRegistration partition : translation.partitions(addPartitions)) {
            if (!registered.contains(List.of(partition.businessUnit(), partition.requestDate()))) {
                run(connection, partition.call(), cancellation).close();
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties info = new Properties();
        info.setProperty("user", properties.user());
        info.setProperty("timezone", "UTC");
        info.setProperty("sessionProperties", "hive.compression_codec:SNAPPY");
        return DriverManager.getConnection(properties.jdbcUrl(), info);
    }

    /** Runs one statement; the caller closes the returned statement (and reads its result set, if any). */
    private static PreparedStatement run(Connection connection, Statement statement, Cancellation cancellation) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(statement.sql());
        try {
            List<Object> parameters = statement.parameters();
            for (int i = 0; i < parameters.size(); i++) {
                ps.setObject(i + 1, TrinoResults.bindable(parameters.get(i)));
            }
            cancellation.starting(ps);
            ps.execute();
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static QueryFailedException failed(Statement statement, SQLException e) {
        return new QueryFailedException(statement.template(), reason(e), e);
    }

    private static String reason(SQLException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
