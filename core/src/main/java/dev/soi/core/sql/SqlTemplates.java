package dev.soi.core.sql;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders the SQL templates kept in the top-level {@code sql/} folder (on the classpath under {@code sql/}).
 *
 * <p>A template is plain SQL with {@code ${name}} tokens; whole-line {@code --} comments document it and
 * are stripped. Rendering is strict: every token in the template must be given, every given token must be
 * used, and the number of {@code ?} placeholders outside string literals must equal the number of
 * parameters. Token values are {@link SqlToken}s, which validate themselves. Thread-safe; templates are
 * read once and cached.
 */
public final class SqlTemplates {
    private static final Pattern TOKEN = Pattern.compile("\\$\\{([a-z_][a-z0-9_]*)}");
    private static final Pattern ANY_TOKEN_START = Pattern.compile("\\$\\{");
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]*(/[a-z_][a-z0-9_]*)*");

    private final String root;
    private final ClassLoader loader;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    /** Templates under {@code sql/} on this class's class path. */
    public SqlTemplates() {
        this("sql", SqlTemplates.class.getClassLoader());
    }

    public SqlTemplates(String root, ClassLoader loader) {
        this.root = requireNonNull(root, "root");
        this.loader = requireNonNull(loader, "loader");
    }

    /** Renders template {@code name} (a path under {@code sql/} without {@code .sql}, e.g. {@code athena/create_database}). */
    public Statement render(String name, Map<String, ? extends SqlToken> tokens, Object... parameters) {
        requireNonNull(tokens, "tokens");
        String text = source(name);
        Set<String> used = new LinkedHashSet<>();
        Matcher matcher = TOKEN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String token = matcher.group(1);
            SqlToken value = tokens.get(token);
            if (value == null) {
                throw new IllegalArgumentException("template " + name + " needs token ${" + token + "}, which was not given; given: " + tokens.keySet());
            }
            used.add(token);
            matcher.appendReplacement(out, Matcher.quoteReplacement(value.render()));
        }
        matcher.appendTail(out);
        String sql = out.toString();
        Set<String> unused = tokens.keySet().stream().filter(t -> !used.contains(t)).collect(Collectors.toCollection(LinkedHashSet::new));
        checkArgument(unused.isEmpty(), "template %s does not use tokens %s", name, unused);
        int placeholders = countPlaceholders(sql);
        checkArgument(placeholders == parameters.length,
                "template %s has %d ? placeholders but %d parameters were given", name, placeholders, parameters.length);
        for (int i = 0; i < parameters.length; i++) {
            requireNonNull(parameters[i], "parameter " + (i + 1) + " of " + name);
        }
        return new Statement(name, sql, Map.copyOf(tokens), Arrays.asList(parameters));
    }

    /** The template's text after comment stripping, tokens still in place. */
    public String source(String name) {
        requireNonNull(name, "template name");
        checkArgument(NAME.matcher(name).matches(), "template name must be lower-case path segments: %s", name);
        return cache.computeIfAbsent(name, this::load);
    }

    /** Token names a template uses, in order of first use. */
    public Set<String> tokensOf(String name) {
        Matcher matcher = TOKEN.matcher(source(name));
        Set<String> names = new LinkedHashSet<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private String load(String name) {
        String path = root + "/" + name + ".sql";
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no SQL template " + path + " on the class path");
            }
            String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String text = raw.lines()
                    .filter(line -> !line.stripLeading().startsWith("--"))
                    .collect(Collectors.joining("\n"))
                    .strip();
            if (text.endsWith(";")) {
                text = text.substring(0, text.length() - 1).stripTrailing();
            }
            checkArgument(!text.isEmpty(), "SQL template %s is empty", path);
            String withoutTokens = TOKEN.matcher(text).replaceAll("");
            checkArgument(!ANY_TOKEN_START.matcher(withoutTokens).find(), "SQL template %s has a malformed ${...} token", path);
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SQL template " + path, e);
        }
    }

    /** Counts {@code ?} outside single-quoted literals, double-quoted identifiers and comments. */
    static int countPlaceholders(String sql) {
        int count = 0;
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (single) {
                if (c == '\'') {
                    single = false;
                }
            } else if (dbl) {
                if (c == '"') {
                    dbl = false;
                }
            } else if (c == '\'') {
                single = true;
            } else if (c == '"') {
                dbl = true;
            } else if (c == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
            } else if (c == '?') {
                count++;
            }
        }
        return count;
    }

    /** Convenience for token maps in the order written. */
    public static Map<String, SqlToken> tokens(Object... nameValuePairs) {
        checkArgument(nameValuePairs.length % 2 == 0, "tokens need name/value pairs");
        Map<String, SqlToken> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            String key = (String) nameValuePairs[i];
            SqlToken value = (SqlToken) requireNonNull(nameValuePairs[i + 1], "token " + key);
            checkArgument(map.put(key, value) == null, "token %s given twice", key);
        }
        return map;
    }

}
