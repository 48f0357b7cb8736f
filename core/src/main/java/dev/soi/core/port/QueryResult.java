package dev.soi.core.port;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.util.List;

/**
 * Rows of a query. Values are typed as Java sees them: {@code Long} for bigint, {@code String} for
 * varchar, {@code java.time.Instant} for timestamps, {@code java.time.LocalDate} for dates, null for NULL.
 */
public record QueryResult(List<String> columns, List<List<Object>> rows) {
    public QueryResult {
        columns = List.copyOf(requireNonNull(columns, "columns"));
        requireNonNull(rows, "rows");
        rows = rows.stream().map(r -> java.util.Collections.unmodifiableList(new java.util.ArrayList<>(r))).toList();
    }

    public int columnIndex(String column) {
        int index = columns.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return index;
    }

    public Object value(int row, String column) {
        return rows.get(row).get(columnIndex(column));
    }
}
