package dev.soi.embedded;

import static dev.soi.core.sql.SqlTemplates.tokens;

import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What keeps {@code ./soi query} a reader. Two locks: DuckDB's parse of the text must be one SELECT over
 * the two tables (and its own CTEs), and once the views exist the session loses file access outside the
 * tables' folders, for good ({@code lock_configuration}). The first gives a clear refusal; the second
 * holds even for what the first does not see (a table function such as {@code read_csv('/etc/passwd')}).
 */
final class ReadOnlyQueries {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReadOnlyQueries() {}

    /** @throws IllegalArgumentException naming what is refused */
    static void checkReadStatement(Connection connection, SqlTemplates templates, String sql, Set<String> tables) throws SQLException {
        JsonNode ast;
        dev.soi.core.sql.Statement serialise = templates.render("duckdb/serialize_statement", java.util.Map.of(), sql);
        try (PreparedStatement ps = connection.prepareStatement(serialise.sql())) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                ast = JSON.readTree(rs.getString(1));
            }
        }
        if (ast.path("error").asBoolean(false)) {
            String type = ast.path("error_type").asString("");
            throw new IllegalArgumentException(type.equals("not implemented")
                    ? "only a SELECT over " + String.join(" and ", tables) + " is allowed here"
                    : ast.path("error_message").asString("the statement does not parse").lines().findFirst().orElse(""));
        }
        if (ast.path("statements").size() != 1) {
            throw new IllegalArgumentException("give exactly one SELECT statement");
        }
        Set<String> ctes = new HashSet<>();
        List<String> referenced = new ArrayList<>();
        walk(ast, ctes, referenced);
        for (String table : referenced) {
            if (!tables.contains(table) && !ctes.contains(table)) {
                throw new IllegalArgumentException("table " + table + " is not one of " + String.join(", ", tables));
            }
        }
    }

    /** After the views are built: only {@code directories} stay readable, and the session settings are locked. */
    static void lockDown(Connection connection, SqlTemplates templates, List<String> directories) throws SQLException {
        List<dev.soi.core.sql.Statement> paths = directories.stream()
                .map(d -> templates.render("duckdb/file", tokens("path", SqlToken.location(d.endsWith("/") ? d : d + "/"))))
                .toList();
        exec(connection, templates.render("duckdb/allow_directories", tokens("directories", SqlToken.fragment(paths, ", "))).sql());
        exec(connection, templates.render("duckdb/disable_external_access", java.util.Map.of()).sql());
        exec(connection, templates.render("duckdb/lock_configuration", java.util.Map.of()).sql());
    }

    private static void walk(JsonNode node, Set<String> ctes, List<String> referenced) {
        if (node.isObject()) {
            if ("BASE_TABLE".equals(node.path("type").asString(""))) {
                referenced.add(node.path("table_name").asString("").toLowerCase(Locale.ROOT));
            }
            JsonNode cteMap = node.path("cte_map").path("map");
            for (JsonNode cte : cteMap) {
                ctes.add(cte.path("key").asString("").toLowerCase(Locale.ROOT));
            }
            node.properties().forEach(p -> walk(p.getValue(), ctes, referenced));
        } else if (node.isArray()) {
            node.forEach(child -> walk(child, ctes, referenced));
        }
    }

    private static void exec(Connection connection, String sql) throws SQLException {
        try (java.sql.Statement st = connection.createStatement()) {
            st.execute(sql);
        }
    }
}
