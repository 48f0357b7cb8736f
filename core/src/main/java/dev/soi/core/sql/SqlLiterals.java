package dev.soi.core.sql;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

/** The one place a value becomes SQL text. */
public final class SqlLiterals {
    private SqlLiterals() {}

    /**
     * Quotes a string as a SQL literal: {@code '} doubles, the whole is wrapped in single quotes. Control
     * characters are refused, since no value of ours contains one and DDL parsers treat them unevenly.
     */
    public static String quote(String value) {
        requireNonNull(value, "value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            checkArgument(c >= 0x20 && c != 0x7f, "SQL literal must not contain control character U+%04X", (int) c);
        }
        return "'" + value.replace("'", "''") + "'";
    }
}
