package dev.soi.trino;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.Statement;
import io.trino.jdbc.QueryStats;
import io.trino.jdbc.TrinoStatement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@link QueryEngine} on Trino over JDBC: the engine behind Athena engine v3, used to prove our Athena SQL.
 *
 * <p>Statements run as rendered for Athena except the few {@link AthenaToTrino} translates. Every call opens
 * its own connection (a Trino connection is a stateless HTTP client), so the engine is thread-safe. Each session
 * runs in UTC, as Athena does, and writes Snappy Parquet ({@code hive.compression_codec}, Trino's stand-in
 * for Athena's {@code write_compression}).
 *
 * <p>Three things differ from Athena and are the stand-in's, not our SQL's: the swap of the latest table is a
 * DROP and CREATE of its catalog entry (a reader between the two finds no table); a table's folder is created
 * before the table, since a local folder, unlike an S3 prefix, must exist to be a location; and for the same
 * reason a CTAS with an empty result becomes an empty table over an empty folder (see {@link #createStaging}).
 */
public final class TrinoQueryEngine implements QueryEngine {
    private final TrinoProperties properties;
    private final AthenaToTrino translation;

    public TrinoQueryEngine(TrinoProperties properties) {
        this(properties, new SqlTemplates());
    }

    public TrinoQueryEngine(TrinoProperties properties, SqlTemplates templates) {
        this.properties = requireNonNull(properties, "properties");
        this.translation = new AthenaToTrino(templates, properties.folders());
    }

    @Override
    public void execute(Statement statement) {
        try (Connection connection = connect()) {
            if (statement.template().equals("athena/add_partitions")) {
                registerPartitions(connection, statement);
                return;
            }
            for (Statement trino : translation.translate(statement)) {
                if (trino.template().equals("trino/create_pit_table") || trino.template().equals("trino/create_latest_table")
                        || trino.template().equals("trino/create_compaction_table")) {
                    Files.createDirectories(AthenaToTrino.folderOf(trino.token("location")));
                }
                if (trino.template().equals("trino/create_latest_ctas")) {
                    createStaging(connection, trino);
                } else {
                    run(connection, trino).close();
                }
            }
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
        try (Connection connection = connect(); PreparedStatement ps = run(connection, translated.get(0))) {
            return read(ps.getResultSet());
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
     * the last page, read after the whole result was consumed, so they are the finished query's. For benchmarks.
     */
    public ProfiledResult queryProfiled(Statement statement) {
        List<Statement> translated = translation.translate(statement);
        if (translated.size() != 1) {
            throw new IllegalArgumentException(statement.template() + " is not a query");
        }
        AtomicReference<QueryStats> last = new AtomicReference<>();
        try (Connection connection = connect();
             PreparedStatement ps = run(connection, translated.get(0), stats -> last.set(stats))) {
            QueryResult result = read(ps.getResultSet());
            QueryStats stats = last.get();
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
                run(connection, translation.dropTable(database, table)).close();
            }
            run(connection, translation.dropSchema(database)).close();
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
    private void createStaging(Connection connection, Statement ctas) throws SQLException, IOException {
        try {
            run(connection, ctas).close();
        } catch (SQLException e) {
            java.nio.file.Path folder = AthenaToTrino.folderOf(ctas.token("location"));
            if (e.getMessage() == null || !e.getMessage().contains("External table location does not exist") || Files.exists(folder)) {
                throw e;
            }
            Files.createDirectories(folder);
            run(connection, translation.emptyStagingTable(ctas)).close();
        }
    }

    private void registerPartitions(Connection connection, Statement addPartitions) throws SQLException {
        String database = addPartitions.token("database").render();
        Set<List<String>> registered;
        try (PreparedStatement ps = run(connection, translation.registeredPartitions(database))) {
            registered = partitions(read(ps.getResultSet()));
        }
        for (AthenaToTrino.PartitionRegistration partition : translation.partitions(addPartitions)) {
            if (!registered.contains(List.of(partition.businessUnit(), partition.requestDate()))) {
                run(connection, partition.call()).close();
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
    private static PreparedStatement run(Connection connection, Statement statement) throws SQLException {
        return run(connection, statement, null);
    }

    private static PreparedStatement run(Connection connection, Statement statement, Consumer<QueryStats> progress) throws SQLException {
        PreparedStatement ps = connection.prepareStatement(statement.sql());
        try {
            if (progress != null) {
                ps.unwrap(TrinoStatement.class).setProgressMonitor(progress);
            }
            List<Object> parameters = statement.parameters();
            for (int i = 0; i < parameters.size(); i++) {
                ps.setObject(i + 1, bindable(parameters.get(i)));
            }
            ps.execute();
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static Object bindable(Object value) {
        if (value instanceof Instant instant) {
            return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
        return value;
    }

    /** Values as the port promises: Long, String, Instant (UTC), LocalDate, Boolean, Double, BigDecimal. */
    private static QueryResult read(ResultSet rs) throws SQLException {
        try (rs) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i));
            }
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(value(rs, meta.getColumnType(i), i));
                }
                rows.add(row);
            }
            return new QueryResult(columns, rows);
        }
    }

    private static Object value(ResultSet rs, int type, int i) throws SQLException {
        Object raw = rs.getObject(i);
        if (raw == null) {
            return null;
        }
        return switch (type) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> ((Number) raw).longValue();
            case Types.TIMESTAMP -> rs.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC);
            case Types.DATE -> rs.getObject(i, LocalDate.class);
            case Types.DOUBLE, Types.REAL -> ((Number) raw).doubleValue();
            case Types.DECIMAL -> (BigDecimal) raw;
            default -> raw;
        };
    }

    private static QueryFailedException failed(Statement statement, SQLException e) {
        return new QueryFailedException(statement.template(), reason(e), e);
    }

    private static String reason(SQLException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
