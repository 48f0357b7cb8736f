package dev.soi.aws;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.InvocationDeadline;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.Statement;
import dev.soi.core.sql.TableStatements;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.TooManyRequestsException;

/**
 * {@link QueryEngine} on Athena (engine v3): start, poll, page the results.
 *
 * <ul>
 *   <li>Each call carries one {@code ClientRequestToken}, so a start the SDK retries after a network
 *       error is recognised by Athena as the same query, not run twice.</li>
 *   <li>Status is polled with capped exponential backoff; FAILED and CANCELLED raise
 *       {@link QueryFailedException} with Athena's reason and the statement's template name; a statement
 *       running past its timeout, or past the {@link InvocationDeadline} (a Lambda's remaining time less a
 *       margin), is stopped and fails; so is one whose wait is interrupted or whose polling fails.</li>
 *   <li>Throttling ({@code TooManyRequestsException}: the account's active queries, running and queued, are at their
 *       quota, which other users of the account share; {@code ThrottlingException}: a call rate) is retried, on top of
 *       the SDK's own retries, with exponential backoff and full jitter up to {@code throttleBackoffMax}, for as long as
 *       the statement's deadline allows: its timeout, or the invocation's deadline when that comes first. Then it fails
 *       with the time it waited, so a long step stops cleanly and its next invocation continues.</li>
 *   <li>Parameters travel as Athena execution parameters (SQL literals), never spliced into the text.</li>
 * </ul>
 * Thread-safe.
 */
public final class AthenaQueryEngine implements QueryEngine {
    private static final Logger log = LoggerFactory.getLogger(AthenaQueryEngine.class);
    /** Waits between polls; replaced in tests so they do not wait. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final AthenaClient client;
    private final AthenaProperties properties;
    private final Sleeper sleeper;
    private final Supplier<Instant> clock;
    private final InvocationDeadline invocationDeadline;
    private final RandomGenerator jitter;

    public AthenaQueryEngine(AthenaClient client, AthenaProperties properties) {
        this(client, properties, InvocationDeadline.NONE);
    }

    public AthenaQueryEngine(AthenaClient client, AthenaProperties properties, InvocationDeadline invocationDeadline) {
        this(client, properties, d -> Thread.sleep(d.toMillis()), Instant::now, invocationDeadline);
    }

    public AthenaQueryEngine(AthenaClient client, AthenaProperties properties, Sleeper sleeper, Supplier<Instant> clock) {
        this(client, properties, sleeper, clock, InvocationDeadline.NONE);
    }

    public AthenaQueryEngine(AthenaClient client, AthenaProperties properties, Sleeper sleeper, Supplier<Instant> clock,
                             InvocationDeadline invocationDeadline) {
        this(client, properties, sleeper, clock, invocationDeadline, ThreadLocalRandom.current());
    }

    /** As the others, with the random source of the backoff's jitter (a test's seeded one). */
    public AthenaQueryEngine(AthenaClient client, AthenaProperties properties, Sleeper sleeper, Supplier<Instant> clock,
                             InvocationDeadline invocationDeadline, RandomGenerator jitter) {
        this.jitter = requireNonNull(jitter, "jitter");
        this.client = requireNonNull(client, "athena client");
        this.properties = requireNonNull(properties, "properties");
        this.sleeper = requireNonNull(sleeper, "sleeper");
        this.clock = requireNonNull(clock, "clock");
        this.invocationDeadline = requireNonNull(invocationDeadline, "invocation deadline");
    }

    @Override
    public void execute(Statement statement) {
        run(statement);
    }

    @Override
    public QueryResult query(Statement statement) {
        String id = run(statement);
        Instant deadline = deadline(statement).instant();
        List<String> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        String token = null;
        boolean first = true;
        do {
            String next = token;
            GetQueryResultsResponse page = throttled(statement, deadline, () -> client.getQueryResults(b -> b
                    .queryExecutionId(id).maxResults(1000).nextToken(next)));
            if (first) {
                for (ColumnInfo column : page.resultSet().resultSetMetadata().columnInfo()) {
                    columns.add(column.name());
                    types.add(column.type().toLowerCase(Locale.ROOT));
                }
            }
            List<Row> pageRows = page.resultSet().rows();
            // A SELECT's first result row repeats the column names.
            for (int i = first ? 1 : 0; i < pageRows.size(); i++) {
                List<Datum> data = pageRows.get(i).data();
                List<Object> row = new ArrayList<>(columns.size());
                for (int c = 0; c < columns.size(); c++) {
                    row.add(AthenaValues.value(c < data.size() ? data.get(c).varCharValue() : null, types.get(c), statement));
                }
                rows.add(row);
            }
            first = false;
            token = page.nextToken();
        } while (token != null);
        return new QueryResult(columns, rows);
    }

    private String run(Statement statement) {
        requireNonNull(statement, "statement");
        StartQueryExecutionRequest.Builder request = StartQueryExecutionRequest.builder()
                .queryString(statement.sql())
                .workGroup(properties.workgroup())
                .clientRequestToken(UUID.randomUUID().toString());
        // CREATE DATABASE runs before the database exists, so it must not name it as its context: Athena
        // would resolve the missing database first. Without one, Athena uses the catalog's "default".
        if (statement.template().equals(TableStatements.CREATE_DATABASE)) {
            request.queryExecutionContext(c -> c.catalog("AwsDataCatalog"));
        } else {
            request.queryExecutionContext(c -> c.catalog("AwsDataCatalog").database(properties.database()));
        }
        if (properties.outputLocation() != null) {
            request.resultConfiguration(r -> r.outputLocation(properties.outputLocation()));
        }
        if (!statement.parameters().isEmpty()) {
            request.executionParameters(statement.parameters().stream().map(AthenaQueryEngine::literal).toList());
        }
        StartQueryExecutionRequest start = request.build();
        Deadline limit = deadline(statement);
        boolean outerFirst = limit.invocation();
        Instant deadline = limit.instant();
        if (outerFirst && !clock.get().isBefore(deadline)) {
            throw new QueryFailedException(statement.template(), "not started: the invocation's time is used up", null);
        }
        String id = throttled(statement, deadline, () -> client.startQueryExecution(start)).queryExecutionId();
        Duration wait = properties.pollInitial();
        boolean done = false;
        try {
            while (true) {
                QueryExecution execution = throttled(statement, deadline, () -> client.getQueryExecution(b -> b.queryExecutionId(id))).queryExecution();
                QueryExecutionState state = execution.status().state();
                if (state == QueryExecutionState.SUCCEEDED) {
                    done = true;
                    return id;
                }
                if (state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
                    done = true;
                    throw new QueryFailedException(statement.template(), reason(execution, state), null);
                }
                Instant now = clock.get();
                if (!now.isBefore(deadline)) {
                    throw new QueryFailedException(statement.template(), (outerFirst
                            ? "stopped at the invocation's deadline " + deadline
                            : "timed out after " + properties.statementTimeout()) + " (query " + id + " stopped)", null);
                }
                // Never sleep past the deadline: the last poll lands on it, not a backoff step later.
                Duration left = Duration.between(now, deadline);
                pause(statement, min(wait, left));
                wait = min(wait.multipliedBy(2), properties.pollMax());
            }
        } finally {
            if (!done) {
                // Timed out, interrupted, or a poll failed: the query must not outlive this wait.
                stopQuietly(id);
            }
        }
    }

    private void stopQuietly(String id) {
        // An interrupted thread makes the SDK abort the call before sending it, so the stop would never reach
        // Athena exactly when the caller is aborting: clear the flag for this one call and restore it after.
        boolean interrupted = Thread.interrupted();
        try {
            client.stopQueryExecution(b -> b.queryExecutionId(id));
        } catch (RuntimeException e) {
            // Best effort: the failure being raised says more than a failed stop would.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String reason(QueryExecution execution, QueryExecutionState state) {
        StringBuilder reason = new StringBuilder(state.toString());
        if (execution.status().athenaError() != null && execution.status().athenaError().errorType() != null) {
            reason.append(" (error type ").append(execution.status().athenaError().errorType()).append(')');
        }
        if (execution.status().stateChangeReason() != null) {
            reason.append(": ").append(execution.status().stateChangeReason());
        }
        return reason.append(" [query ").append(execution.queryExecutionId()).append(']').toString();
    }

    /** When a statement starting now must end: its timeout, or the invocation's deadline when that comes first. */
    private record Deadline(Instant instant, boolean invocation) {}

    private Deadline deadline(Statement statement) {
        Instant own = clock.get().plus(properties.statementTimeout());
        Optional<Instant> outer = invocationDeadline.deadline();
        return outer.isPresent() && outer.get().isBefore(own) ? new Deadline(outer.get(), true) : new Deadline(own, false);
    }

    private <T> T throttled(Statement statement, Instant deadline, Supplier<T> call) {
        Instant first = clock.get();
        for (int attempt = 0; ; attempt++) {
            try {
                T answer = call.get();
                if (attempt > 0) {
                    log.info("Athena admitted {} after {} throttled tries in {} ms", statement.template(), attempt,
                            Duration.between(first, clock.get()).toMillis());
                }
                return answer;
            } catch (TooManyRequestsException e) {
                backOff(statement, attempt, first, deadline, e);
            } catch (AwsServiceException e) {
                if (!e.isThrottlingException()) {
                    throw new QueryFailedException(statement.template(), e.awsErrorDetails() == null ? e.getMessage()
                            : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage(), e);
                }
                backOff(statement, attempt, first, deadline, e);
            }
        }
    }

    /**
     * Waits before the next try of a throttled call, or fails when that wait would pass the deadline. Full jitter (a
     * random wait up to an exponentially growing cap) spreads the account's competing callers apart; the account's
     * other users share its quota, so the wait may need to outlast their queries, and only the deadline bounds it.
     */
    private void backOff(Statement statement, int attempt, Instant first, Instant deadline, AwsServiceException e) {
        if (attempt == 0) {
            // Once a statement: the operator sees why a statement is slow, not a line every backoff step.
            log.warn("Athena throttled {} ({}); retrying with backoff until its deadline {}. If this recurs, the account's "
                            + "active-query quota is shared with other users: see the Athena service quotas for the Region",
                    statement.template(), errorCode(e), deadline);
        }
        long cap = Math.min(properties.throttleBackoffMax().toMillis(), 100L << Math.min(attempt, 20));
        Duration wait = Duration.ofMillis(jitter.nextLong(cap + 1));
        Instant now = clock.get();
        if (!now.plus(wait).isBefore(deadline)) {
            throw new QueryFailedException(statement.template(), "throttled by Athena for " + Duration.between(first, now).toMillis()
                    + " ms (" + (attempt + 1) + " tries) until the deadline " + deadline + ": " + e.getMessage(), e);
        }
        pause(statement, wait);
    }

    private void pause(Statement statement, Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryFailedException(statement.template(), "interrupted while waiting for Athena", e);
        }
    }

    private static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Athena execution parameters are SQL literals. */
    static String literal(Object value) {
        return AthenaValues.literal(value);
    }
}
