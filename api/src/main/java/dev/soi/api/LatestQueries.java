package dev.soi.api;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.api.web.ApiProblem;
import dev.soi.api.web.ProblemType;
import dev.soi.api.web.Responses.LatestPackage;
import dev.soi.api.web.Responses.PackagePage;
import dev.soi.api.web.Responses.PackageSummary;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.Statement;
import dev.soi.core.sql.TableStatements;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API's reads, over the latest and PIT tables through the query engine. */
public final class LatestQueries {
    private static final Logger log = LoggerFactory.getLogger(LatestQueries.class);

    private final QueryEngine engine;
    private final TableStatements statements;

    public LatestQueries(QueryEngine engine, TableStatements statements) {
        this.engine = requireNonNull(engine, "query engine");
        this.statements = requireNonNull(statements, "table statements");
    }

    /** The package's latest version, or empty when it is not in the latest table (never submitted, or deleted). */
    public Optional<LatestPackage> latestPackage(BusinessUnit unit, PackageName name) {
        QueryResult result = run(statements.latestPackage(unit, name));
        if (result.rows().isEmpty()) {
            return Optional.empty();
        }
        List<Long> ids = new ArrayList<>(result.rows().size());
        for (int i = 0; i < result.rows().size(); i++) {
            ids.add(toLong(result.value(i, "reference_id")));
        }
        return Optional.of(new LatestPackage(unit.code(), name.value(), ids,
                timestamp(result.value(0, "event_timestamp")), String.valueOf(result.value(0, "submission_id"))));
    }

    public PackagePage page(BusinessUnit unit, int page, int size) {
        long first = (long) page * size;
        // One row more than asked tells whether a next page exists without a count query.
        QueryResult result = run(statements.latestUnitPage(unit, first, first + size + 1));
        List<PackageSummary> packages = new ArrayList<>();
        for (int i = 0; i < Math.min(size, result.rows().size()); i++) {
            packages.add(new PackageSummary(String.valueOf(result.value(i, "package_name")),
                    toLong(result.value(i, "reference_ids_count")),
                    timestamp(result.value(i, "event_timestamp")),
                    String.valueOf(result.value(i, "submission_id"))));
        }
        return new PackagePage(unit.code(), page, size, packages, result.rows().size() > size);
    }

    /** Whether the submission's rows reached the PIT table (the batch applied it). */
    public boolean isApplied(BusinessUnit unit, SubmissionId id) {
        QueryResult result = run(statements.submissionApplied(unit, id));
        return !result.rows().isEmpty() && toLong(result.value(0, "row_count")) > 0;
    }

    private QueryResult run(Statement statement) {
        try {
            return engine.query(statement);
        } catch (QueryFailedException e) {
            log.warn("read {} failed: {}", statement.template(), e.reason());
            throw new ApiProblem(ProblemType.QUERY_FAILED, "the query engine could not answer; retry later");
        }
    }

    private static long toLong(Object value) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        throw new IllegalStateException("expected a number from the query engine, got " + value);
    }

    /** The port promises Instant; engines' drivers differ, so the offset-carrying types are accepted too. */
    private static String timestamp(Object value) {
        Instant instant;
        if (value instanceof Instant i) {
            instant = i;
        } else if (value instanceof OffsetDateTime o) {
            instant = o.toInstant();
        } else if (value instanceof ZonedDateTime z) {
            instant = z.toInstant();
        } else if (value instanceof java.sql.Timestamp t) {
            instant = t.toInstant();
        } else {
            throw new IllegalStateException("expected a timestamp from the query engine, got " + value);
        }
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
