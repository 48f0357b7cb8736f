package dev.soi.core.port;

import dev.soi.core.sql.Statement;

/**
 * Runs rendered SQL statements: Athena in AWS, DuckDB locally (Trino as the Athena stand-in in tests).
 *
 * <p>Statements come only from the templates in {@code sql/}, rendered by
 * {@link dev.soi.core.sql.SqlTemplates}; an engine may map a statement to its own dialect by the statement's
 * template name and tokens, never by parsing its text. Values travel as {@link Statement#parameters()}.
 *
 * <p>Calls block until the statement finished. Implementations are thread-safe. A statement that the
 * engine rejected or that failed raises {@link QueryFailedException} carrying the template name and the
 * engine's reason; a retry of the same call is safe only for idempotent statements (all of ours are,
 * except CTAS, whose target location is new per run).
 */
public interface QueryEngine {

    /** Runs a statement that returns no rows (DDL, CTAS). */
    void execute(Statement statement);

    /** Runs a query and returns all its rows. */
    QueryResult query(Statement statement);
}
