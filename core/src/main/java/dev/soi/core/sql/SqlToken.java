package dev.soi.core.sql;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.domain.Checks.shown;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A value for a {@code ${name}} token in a SQL template. Only identifiers, locations, escaped string
 * literals (for DDL, where engines take no parameters), counts (a table property such as a bucket count) and
 * fragments rendered from other templates can be tokens; each kind validates itself, so no raw text ever reaches a statement. Everything else is bound as
 * a {@link Statement#parameters() parameter}.
 */
public sealed interface SqlToken {

    /** The text that replaces the token. */
    String render();

    static Identifier identifier(String name) {
        return new Identifier(name);
    }

    static Location location(String uri) {
        return new Location(uri);
    }

    /** The location of every partition of a partition-projected table: {@code prefix} then {@code column=${column}/}. */
    static LocationTemplate locationTemplate(String prefix, String column) {
        return new LocationTemplate(new Location(prefix), new Identifier(column));
    }

    static Literal literal(String value) {
        return new Literal(value);
    }

    static Count count(long value) {
        return new Count(value);
    }

    static Fragment fragment(List<Statement> parts, String separator) {
        return new Fragment(parts, separator);
    }

    /** A lower-case SQL identifier: {@code [a-z_][a-z0-9_]*}, at most 128 characters. */
    record Identifier(String name) implements SqlToken {
        private static final Pattern FORMAT = Pattern.compile("[a-z_][a-z0-9_]{0,127}");

        public Identifier {
            requireNonNull(name, "identifier");
            checkArgument(FORMAT.matcher(name).matches(), "identifier must match [a-z_][a-z0-9_]*: %s", shown(name));
        }

        @Override
        public String render() {
            return name;
        }
    }

    /**
     * A storage location placed inside quotes by the template: {@code s3://bucket/path/}, or an absolute
     * local path for the local engines. Quotes, backslashes, control characters and {@code ${} are refused.
     */
    record Location(String uri) implements SqlToken {
        private static final Pattern FORMAT = Pattern.compile("(s3://[a-z0-9][a-z0-9.-]{1,62}/|local:///|file:///|/)[A-Za-z0-9=/_.:+@,~ -]*");

        public Location {
            requireNonNull(uri, "location");
            checkArgument(FORMAT.matcher(uri).matches() && !uri.contains(".."),
                    "location must be s3://bucket/..., local:///..., file:///... or an absolute path of safe characters: %s", shown(uri));
        }

        @Override
        public String render() {
            return uri;
        }
    }

    /**
     * A storage location with one partition column's placeholder, as partition projection reads it from a table's
     * {@code storage.location.template}: {@code s3://bucket/path/column=${column}/}, the engine putting each partition's
     * value in place of {@code ${column}}. The prefix is a {@link Location} and must end with {@code /}; the column an
     * {@link Identifier}. The one token whose text holds {@code ${}, and only this exact form.
     */
    record LocationTemplate(Location prefix, Identifier column) implements SqlToken {
        public LocationTemplate {
            requireNonNull(prefix, "prefix");
            requireNonNull(column, "column");
            checkArgument(prefix.uri().endsWith("/"), "a location template's prefix must end with /: %s", shown(prefix.uri()));
        }

        /** Parses the rendered form back (a stand-in that sees only statement text), or fails as a Location would. */
        public static LocationTemplate parse(String text) {
            java.util.regex.Matcher m = Pattern.compile("(.*/)([a-z_][a-z0-9_]{0,127})=\\$\\{\\2}/").matcher(text);
            checkArgument(m.matches(), "not a partition location template (prefix/column=${column}/): %s", shown(text));
            return new LocationTemplate(new Location(m.group(1)), new Identifier(m.group(2)));
        }

        @Override
        public String render() {
            return prefix.uri() + column.name() + "=${" + column.name() + "}/";
        }
    }

    /** A string literal, quoted and escaped by {@link SqlLiterals#quote}. */
    record Literal(String value) implements SqlToken {
        public Literal {
            requireNonNull(value, "literal");
        }

        @Override
        public String render() {
            return SqlLiterals.quote(value);
        }
    }

    /** A non-negative whole number, for a statement's property that takes no parameter (a CTAS's {@code bucket_count}). */
    record Count(long value) implements SqlToken {
        public Count {
            checkArgument(value >= 0, "count must be >= 0: %d", value);
        }

        @Override
        public String render() {
            return Long.toString(value);
        }
    }

    /** Statements rendered from other templates, joined by {@code separator} (for repeated clauses). */
    record Fragment(List<Statement> parts, String separator) implements SqlToken {
        public Fragment {
            parts = List.copyOf(requireNonNull(parts, "parts"));
            requireNonNull(separator, "separator");
            checkArgument(!parts.isEmpty(), "a fragment needs at least one part");
            checkArgument(separator.matches("[\\s,]*"), "fragment separator may only be whitespace and commas: %s", shown(separator));
            for (Statement part : parts) {
                checkArgument(part.parameters().isEmpty(), "fragment part %s must not bind parameters", part.template());
            }
        }

        @Override
        public String render() {
            return String.join(separator, parts.stream().map(Statement::sql).toList());
        }
    }
}
