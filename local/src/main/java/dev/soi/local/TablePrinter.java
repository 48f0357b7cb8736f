package dev.soi.local;

import dev.soi.core.port.QueryResult;
import java.util.ArrayList;
import java.util.List;

/** Prints query results as an aligned text table, with a row count, for {@code ./soi query}. */
final class TablePrinter {
    private TablePrinter() {}

    static String print(QueryResult result) {
        List<String> header = result.columns();
        List<List<String>> cells = new ArrayList<>();
        for (List<Object> row : result.rows()) {
            cells.add(row.stream().map(v -> v == null ? "NULL" : visible(v.toString())).toList());
        }
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : cells) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.append(rule).append('\n');
        for (List<String> row : cells) {
            line(out, row, widths);
        }
        out.append('(').append(cells.size()).append(cells.size() == 1 ? " row)" : " rows)").append('\n');
        return out.toString();
    }

    /** A value on one line: rows written before principals were checked may hold a newline or a tab. */
    static String visible(String value) {
        if (value.chars().noneMatch(Character::isISOControl)) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        value.chars().forEach(c -> out.append(c == '\n' ? "\\n" : c == '\t' ? "\\t" : Character.isISOControl(c)
                ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> values, int[] widths) {
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", values.get(i)));
        }
        out.append('\n');
    }
}
