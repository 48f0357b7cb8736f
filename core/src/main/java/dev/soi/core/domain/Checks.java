package dev.soi.core.domain;

import java.util.Objects;

/** Constructor checks in the style of Trino's records: the message always shows the bad value. */
public final class Checks {
    private Checks() {}

    public static <T> T requireNonNull(T value, String name) {
        return Objects.requireNonNull(value, () -> name + " is null");
    }

    public static void checkArgument(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(format, args));
        }
    }

    /**
     * {@link #show} rendered only if a failed check formats its message: {@code checkArgument(ok, "…: %s", shown(v))}
     * costs nothing when the check passes, as it does on every hot path (a key checked per character, an id per read).
     */
    public static Object shown(String value) {
        return new Shown(value);
    }

    private record Shown(String value) {
        @Override
        public String toString() {
            return show(value);
        }
    }

    /** Renders a user-supplied string safely inside an error message: quoted, control characters escaped, cut at 80. */
    public static String show(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("\"");
        int limit = Math.min(value.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        if (value.length() > limit) {
            out.append("…(").append(value.length()).append(" chars)");
        }
        return out.append('"').toString();
    }
}
