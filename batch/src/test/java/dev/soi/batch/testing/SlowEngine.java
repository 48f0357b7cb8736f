package dev.soi.batch.testing;

import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.Statement;
import dev.soi.core.testing.MutableClock;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Wraps an engine so that each statement takes {@code perStatement} of the fixture's clock, as a remote engine's latency
 * does, and, optionally, so that the statements {@code stopped} picks fail as the Athena adapter fails a statement
 * it stopped at the invocation's deadline. A deadline scenario then runs the path production runs, on any engine.
 */
public final class SlowEngine implements QueryEngine {
    private final QueryEngine delegate;
    private final MutableClock clock;
    private final Duration perStatement;
    private final Predicate<Statement> stopped;

    public SlowEngine(QueryEngine delegate, MutableClock clock, Duration perStatement) {
        this(delegate, clock, perStatement, s -> false);
    }

    public SlowEngine(QueryEngine delegate, MutableClock clock, Duration perStatement, Predicate<Statement> stopped) {
        this.delegate = delegate;
        this.clock = clock;
        this.perStatement = perStatement;
        this.stopped = stopped;
    }

    @Override
    public void execute(Statement statement) {
        pass(statement);
        delegate.execute(statement);
    }

    @Override
    public QueryResult query(Statement statement) {
        pass(statement);
        return delegate.query(statement);
    }

    private void pass(Statement statement) {
        clock.advance(perStatement);
        if (stopped.test(statement)) {
            throw new QueryFailedException(statement.template(), "stopped at the invocation's deadline " + clock.instant()
                    + " (query q-stopped stopped)", null);
        }
    }
}
