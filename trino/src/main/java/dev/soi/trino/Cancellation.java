package dev.soi.trino;

import io.trino.jdbc.QueryStats;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Lets another thread cancel what one call of {@link TrinoQueryEngine} runs. Thread-safe; a cancelled one stays cancelled. It also sums the
 * physical input bytes Trino reports for the queries of the call.
 */
public final class Cancellation {
    private java.sql.Statement running;
    private boolean cancelled;
    private final java.util.Map<String, Long> inputBytes = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile QueryStats last;

    /** Cancels the Trino query running now, if any, and refuses to start another. */
    public synchronized void cancel() {
        cancelled = true;
        if (running != null) {
            try {
                running.cancel();
            } catch (SQLException e) {
                // The query may have ended meanwhile; the call reports what happened to it.
            }
        }
    }

    public synchronized boolean cancelled() {
        return cancelled;
    }

    /** The physical input bytes of the call's queries so far, as their last progress reports gave them. */
    public long physicalInputBytes() {
        return inputBytes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The last progress report of the call's latest query, null before the first. */
    QueryStats lastStatistics() {
        return last;
    }

    /** The statement stays the one to cancel until the next starts: its rows may still be streaming in. */
    synchronized void starting(PreparedStatement statement) throws SQLException {
        if (cancelled) {
            throw new SQLException("Query was canceled before it started");
        }
        running = statement;
        io.trino.jdbc.TrinoStatement trino = statement.unwrap(io.trino.jdbc.TrinoStatement.class);
        trino.setProgressMonitor(stats -> {
            inputBytes.put(stats.getQueryId(), stats.getPhysicalInputBytes());
            last = stats;
        });
    }
}
