package dev.soi.trino;

import dev.soi.core.port.QueryResult;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Values between Trino's JDBC driver and the port: parameters bound, result sets read as the port promises or as text. */
final class TrinoResults {
    private TrinoResults() {}

    static Object bindable(Object value) {
        if (value instanceof Instant instant) {
            return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        }
        return value;
    }

    /** Values as the port promises: Long, String, Instant (UTC), LocalDate, Boolean, Double, BigDecimal. */
    static QueryResult read(ResultSet rs) throws SQLException {
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

    static TrinoQueryEngine.TextResult readText(ResultSet rs) throws SQLException {
        try (rs) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            List<String> types = new ArrayList<>();
            List<Integer> precisions = new ArrayList<>();
            List<Integer> scales = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i));
                types.add(meta.getColumnTypeName(i));
                precisions.add(meta.getPrecision(i));
                scales.add(meta.getScale(i));
            }
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return new TrinoQueryEngine.TextResult(columns, types, precisions, scales, rows);
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
}
