package dev.soi.trino;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.Statement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The way back from a statement's text to the template and tokens it was rendered from, for a stand-in that, like
 * Athena, sees only the text. Each template becomes one pattern: its literal text quoted, each {@code ${token}} a
 * capture group (a repeated token must repeat the same text). A token between single quotes is a
 * {@link SqlToken.Location} or a {@link SqlToken.LocationTemplate}; any other is, in this order of preference, an {@link SqlToken.Identifier}, an escaped
 * {@link SqlToken.Literal}, a {@link SqlToken.Count}, or a {@link SqlToken.Fragment}: one or more renderings of another known template, joined
 * by commas and white space. Thread-safe.
 */
public final class AthenaTemplateMatcher {
    private static final Pattern TOKEN = Pattern.compile("\\$\\{([a-z_][a-z0-9_]*)}");
    private static final String IDENTIFIER = "[a-z_][a-z0-9_]{0,127}";
    private static final String LITERAL = "'(?:[^']|'')*'";
    private static final String COUNT = "\\d{1,18}";
    private static final Pattern SEPARATOR = Pattern.compile("[\\s,]*");

    private final List<Template> templates;

    /** A template's pattern and, by group, the token each capture group stands for. */
    private record Template(String name, Pattern whole, Pattern part, List<String> groups, List<Boolean> quoted) {}

    /** Matches against {@code names}, in that order (the first that matches wins). */
    public AthenaTemplateMatcher(SqlTemplates sql, List<String> names) {
        requireNonNull(sql, "templates");
        this.templates = names.stream().map(name -> compile(name, sql.source(name))).toList();
    }

    /** Matches against every template under {@code sql/athena} and {@code sql/common} on the class path. */
    public static AthenaTemplateMatcher ofClasspath(SqlTemplates sql) {
        List<String> names = new ArrayList<>(templatesIn("athena"));
        names.addAll(templatesIn("common"));
        return new AthenaTemplateMatcher(sql, names);
    }

    /** The template names ({@code athena/create_database}, …) in folder {@code sql/<folder>} on the class path, sorted. */
    public static List<String> templatesIn(String folder) {
        URL anchor = AthenaTemplateMatcher.class.getClassLoader().getResource("sql/" + folder);
        if (anchor == null) {
            throw new IllegalStateException("no sql/" + folder + " on the class path");
        }
        try {
            URI uri = anchor.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem jar;
                try {
                    jar = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    jar = FileSystems.getFileSystem(uri);
                }
                return list(jar.getPath("sql/" + folder), folder);
            }
            return list(Path.of(uri), folder);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot list sql/" + folder + ": " + e.getMessage(), e);
        }
    }

    private static List<String> list(Path dir, String folder) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql"))
                    .map(n -> folder + "/" + n.substring(0, n.length() - ".sql".length())).sorted().toList();
        }
    }

    /** The statement {@code sql} is a rendering of, with {@code parameters} bound, or empty when no template fits. */
    public Optional<Statement> match(String sql, List<Object> parameters) {
        requireNonNull(sql, "sql");
        for (Template template : templates) {
            Matcher m = template.whole().matcher(sql);
            if (m.matches()) {
                Optional<Map<String, SqlToken>> tokens = tokens(template, m);
                if (tokens.isPresent()) {
                    return Optional.of(new Statement(template.name(), sql, tokens.get(), parameters));
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Map<String, SqlToken>> tokens(Template template, Matcher m) {
        Map<String, SqlToken> tokens = new LinkedHashMap<>();
        for (int g = 0; g < template.groups().size(); g++) {
            String text = m.group(g + 1);
            Optional<SqlToken> token = template.quoted().get(g) ? location(text) : token(text, template.name());
            if (token.isEmpty()) {
                return Optional.empty();
            }
            tokens.put(template.groups().get(g), token.get());
        }
        return Optional.of(tokens);
    }

    /** A quoted token: a location, or a partition projection's location template (the one form holding {@code ${}). */
    private static Optional<SqlToken> location(String text) {
        try {
            return Optional.of(text.contains("${") ? SqlToken.LocationTemplate.parse(text) : SqlToken.location(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Optional<SqlToken> token(String text, String enclosing) {
        if (text.matches(IDENTIFIER)) {
            return Optional.of(SqlToken.identifier(text));
        }
        if (text.matches(LITERAL)) {
            return Optional.of(SqlToken.literal(text.substring(1, text.length() - 1).replace("''", "'")));
        }
        if (text.matches(COUNT)) {
            return Optional.of(SqlToken.count(Long.parseLong(text)));
        }
        return fragment(text, enclosing).map(f -> f);
    }

    /** {@code text} as one or more parts of one other template, each followed by a separator or the end. */
    private Optional<SqlToken.Fragment> fragment(String text, String enclosing) {
        for (Template template : templates) {
            if (template.name().equals(enclosing)) {
                continue;
            }
            List<Statement> parts = new ArrayList<>();
            String separator = null;
            int at = 0;
            Matcher m = template.part().matcher(text);
            while (at < text.length()) {
                m.region(at, text.length());
                if (!m.lookingAt()) {
                    break;
                }
                Optional<Map<String, SqlToken>> tokens = tokens(template, m);
                if (tokens.isEmpty()) {
                    break;
                }
                parts.add(new Statement(template.name(), text.substring(at, m.end()), tokens.get(), List.of()));
                Matcher sep = SEPARATOR.matcher(text).region(m.end(), text.length());
                sep.lookingAt();
                if (sep.end() == text.length()) {
                    at = text.length();
                    break;
                }
                if (separator != null && !separator.equals(sep.group())) {
                    break;
                }
                separator = sep.group();
                at = sep.end();
            }
            if (at == text.length() && !parts.isEmpty()) {
                return Optional.of(SqlToken.fragment(parts, separator == null ? "" : separator));
            }
        }
        return Optional.empty();
    }

    private static Template compile(String name, String source) {
        StringBuilder regex = new StringBuilder();
        List<String> groups = new ArrayList<>();
        List<Boolean> quoted = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        Matcher m = TOKEN.matcher(source);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(source.substring(last, m.start())));
            String token = m.group(1);
            Integer group = seen.get(token);
            if (group != null) {
                regex.append("\\").append(group);
            } else {
                boolean inQuotes = m.start() > 0 && source.charAt(m.start() - 1) == '\''
                        && m.end() < source.length() && source.charAt(m.end()) == '\'';
                groups.add(token);
                quoted.add(inQuotes);
                seen.put(token, groups.size());
                regex.append(inQuotes ? "([^']*)" : "(" + IDENTIFIER + "|" + LITERAL + "|" + COUNT + "|(?s:.+?))");
            }
            last = m.end();
        }
        regex.append(Pattern.quote(source.substring(last)));
        return new Template(name, Pattern.compile(regex.toString(), Pattern.DOTALL),
                Pattern.compile(regex + "(?=[\\s,]|\\z)", Pattern.DOTALL), groups, quoted);
    }
}
