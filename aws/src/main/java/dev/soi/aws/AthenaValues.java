package dev.soi.aws;

import dev.soi.core.port.QueryFailedException;
import dev.soi.core.sql.SqlLiterals;
import dev.soi.core.sql.Statement;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Values to and from Athena's text: execution parameters as SQL literals, result cells by their column's type. */
final class AthenaValues {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

    private AthenaValues() {}

    /** Athena execution parameters are SQL literals. */
    static String literal(Object value) {
        if (value instanceof String s) {
            return SqlLiterals.quote(s);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short) {
            return value.toString();
        }
        if (value instanceof LocalDate date) {
            return "DATE '" + date + "'";
        }
        if (value instanceof Instant instant) {
            return "TIMESTAMP '" + TIMESTAMP.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)) + "'";
        }
        throw new IllegalArgumentException("no Athena literal for a parameter of type " + (value == null ? "null" : value.getClass().getName()));
    }

    static Object value(String text, String type, Statement statement) {
        if (text == null) {
            return null;
        }
        try {
            return switch (type) {
                case "bigint", "integer", "int", "smallint", "tinyint" -> Long.parseLong(text);
                case "double", "float", "real" -> Double.parseDouble(text);
                case "boolean" -> Boolean.parseBoolean(text);
                case "date" -> LocalDate.parse(text);
                case "timestamp", "timestamp with time zone" -> LocalDateTime.parse(text.length() > 23 ? text.substring(0, 23) : text, TIMESTAMP)
                        .toInstant(ZoneOffset.UTC);
                default -> type.startsWith("decimal") ? new BigDecimal(text) : text;
            };
        } catch (RuntimeException e) {
            throw new QueryFailedException(statement.template(), "cannot read " + type + " value " + text, e);
        }
    }
}
