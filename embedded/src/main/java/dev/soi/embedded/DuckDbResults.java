package dev.soi.embedded;

import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.Statement;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** DuckDB's JDBC values to and from the Java types the {@code QueryEngine} port promises. */
final class DuckDbResults {
    private DuckDbResults() {}

    /** A parameter as DuckDB binds it: an Instant becomes a UTC timestamp. */
    static Object bindable(Object value) {
        if (value instanceof Instant instant) {
            return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
        return value;
    }

    /** Runs {@code statement} on {@code connection} with its parameters bound: its rows, or null when it returns none. */
    static QueryResult run(Connection connection, Statement statement, boolean returnsRows) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(statement.sql())) {
            List<Object> parameters = statement.parameters();
            for (int i = 0; i < parameters.size(); i++) {
                ps.setObject(i + 1, bindable(parameters.get(i)));
            }
            if (!returnsRows) {
                ps.execute();
                return null;
            }
            return read(ps);
        }
    }

    static QueryResult read(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i));
            }
            // The column's kind is looked up once, not per value: a whole unit is ~100k rows.
            Kind[] kinds = new Kind[columns.size() + 1];
            for (int i = 1; i <= columns.size(); i++) {
                kinds[i] = Kind.of(meta, i);
            }
            List<List<Object>> result = new ArrayList<>();
            while (rs.next()) {
                List<Object> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(value(rs, kinds[i], i));
                }
                result.add(row);
            }
            return new QueryResult(columns, result);
        }
    }

    /** How a column's values become the Java types the port promises. */
    private enum Kind {
        TIMESTAMP_TZ, TIMESTAMP, DATE, DECIMAL, OTHER;

        static Kind of(ResultSetMetaData meta, int i) throws SQLException {
            String type = meta.getColumnTypeName(i).toUpperCase(java.util.Locale.ROOT);
            if (type.startsWith("TIMESTAMP WITH TIME ZONE")) {
                return TIMESTAMP_TZ;
            }
            if (type.startsWith("TIMESTAMP")) {
                return TIMESTAMP;
            }
            if (type.equals("DATE")) {
                return DATE;
            }
            return meta.getColumnType(i) == Types.DECIMAL ? DECIMAL : OTHER;
        }
    }

    /** Java types as the port promises: Long, String, Instant (UTC), LocalDate, Boolean, Double, BigDecimal. */
    private static Object value(ResultSet rs, Kind kind, int i) throws SQLException {
        Object raw = rs.getObject(i);
        if (raw == null) {
            return null;
        }
        switch (kind) {
            case TIMESTAMP_TZ -> {
                return raw instanceof OffsetDateTime odt ? odt.toInstant() : rs.getObject(i, OffsetDateTime.class).toInstant();
            }
            case TIMESTAMP -> {
                return raw instanceof LocalDateTime ldt ? ldt.toInstant(ZoneOffset.UTC) : rs.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC);
            }
            case DATE -> {
                return raw instanceof LocalDate date ? date : rs.getObject(i, LocalDate.class);
            }
            default -> { }
        }
        if (raw instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof BigInteger big) {
            return big.longValueExact();
        }
        if (raw instanceof BigDecimal decimal && (kind != Kind.DECIMAL || decimal.scale() <= 0)) {
            return decimal.longValueExact();
        }
        return raw;
    }
}
