package dev.soi.core.sql;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SQL statement rendered from a template: the template's name (for errors, counting and engine
 * mapping), the rendered text, the tokens it was rendered with, and the values bound to its {@code ?}
 * placeholders in order.
 */
public record Statement(String template, String sql, Map<String, SqlToken> tokens, List<Object> parameters) {
    public Statement {
        requireNonNull(template, "template");
        requireNonNull(sql, "sql");
        tokens = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(tokens, "tokens")));
        parameters = Collections.unmodifiableList(new ArrayList<>(requireNonNull(parameters, "parameters")));
    }

    /** The token's value; throws if the template had no such token. */
    public SqlToken token(String name) {
        SqlToken token = tokens.get(name);
        if (token == null) {
            throw new IllegalArgumentException("statement " + template + " has no token " + name + "; it has " + tokens.keySet());
        }
        return token;
    }

    /** The rendered text of a token. */
    public String tokenText(String name) {
        return token(name).render();
    }
}
