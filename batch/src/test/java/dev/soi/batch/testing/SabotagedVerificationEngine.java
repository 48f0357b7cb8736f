package dev.soi.batch.testing;

import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wraps any engine and, when armed, reports one duplicate key in the next {@code verify_staging} answer, or
 * drops that answer's only row (as an adapter that misreads a result would), so the refuse-to-swap path can be
 * tested over real engines too.
 */
public final class SabotagedVerificationEngine implements QueryEngine {
    private final QueryEngine delegate;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicBoolean dropRow = new AtomicBoolean();

    public SabotagedVerificationEngine(QueryEngine delegate) {
        this.delegate = delegate;
    }

    public void failNextVerification() {
        armed.set(true);
    }

    /** The next {@code verify_staging} answer comes back with its columns and no row. */
    public void dropNextVerificationRow() {
        dropRow.set(true);
    }

    @Override
    public void execute(Statement statement) {
        delegate.execute(statement);
    }

    @Override
    public QueryResult query(Statement statement) {
        QueryResult result = delegate.query(statement);
        if (statement.template().equals("athena/verify_staging") && dropRow.getAndSet(false)) {
            return new QueryResult(result.columns(), List.of());
        }
        if (!statement.template().equals("athena/verify_staging") || !armed.getAndSet(false)) {
            return result;
        }
        int column = result.columnIndex("duplicate_rows");
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : result.rows()) {
            List<Object> copy = new ArrayList<>(row);
            copy.set(column, 1L);
            rows.add(copy);
        }
        return new QueryResult(result.columns(), rows);
    }
}
