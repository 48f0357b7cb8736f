package dev.soi.core.sql;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Wraps an engine and records every statement passed through it, in order, so a test can pin exactly
 * which statements a step issues (as Trino's counting metastore does for metastore calls). A test helper,
 * shipped in core's test jar only; nothing in production wraps its engine with it. Thread-safe.
 */
public final class CountingQueryEngine implements QueryEngine {
    private final QueryEngine delegate;
    private final List<Statement> statements = new ArrayList<>();

    public CountingQueryEngine(QueryEngine delegate) {
        this.delegate = requireNonNull(delegate, "delegate");
    }

    @Override
    public void execute(Statement statement) {
        record(statement);
        delegate.execute(statement);
    }

    @Override
    public QueryResult query(Statement statement) {
        record(statement);
        return delegate.query(statement);
    }

    /** Template names of the statements issued so far, oldest first. */
    public synchronized List<String> templates() {
        return statements.stream().map(Statement::template).toList();
    }

    public synchronized List<Statement> statements() {
        return List.copyOf(statements);
    }

    public synchronized void reset() {
        statements.clear();
    }

    private synchronized void record(Statement statement) {
        statements.add(requireNonNull(statement, "statement"));
    }
}
