package dev.soi.api.fakes;

import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Answers the API's read templates from in-memory rows, by template name and parameters (never by parsing
 * SQL): {@code queries/latest_package}, {@code queries/latest_unit}, {@code queries/latest_unit_page} from
 * latest rows, {@code queries/submission_applied} from PIT rows.
 */
public final class InMemoryQueryEngine implements QueryEngine {
    public record LatestRow(String businessUnit, String packageName, long referenceId, Instant eventTimestamp, String submissionId) {}

    public record PitRow(String businessUnit, String requestDate, String submissionId) {}

    private final List<LatestRow> latest = new ArrayList<>();
    private final List<PitRow> pit = new ArrayList<>();
    private final List<Statement> statements = new ArrayList<>();
    private volatile boolean failing;
    private volatile RuntimeException broken;

    public synchronized void reset() {
        latest.clear();
        pit.clear();
        statements.clear();
        failing = false;
        broken = null;
    }

    public synchronized void addLatest(LatestRow row) {
        latest.add(row);
    }

    public synchronized void addPit(PitRow row) {
        pit.add(row);
    }

    public synchronized List<Statement> statements() {
        return List.copyOf(statements);
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** Every query throws this: a failure the port does not declare, such as an unreadable local catalog. */
    public void broken(RuntimeException error) {
        this.broken = error;
    }

    @Override
    public void execute(Statement statement) {
        throw new UnsupportedOperationException("the API never executes DDL");
    }

    @Override
    public synchronized QueryResult query(Statement statement) {
        statements.add(statement);
        if (broken != null) {
            throw broken;
        }
        if (failing) {
            throw new QueryFailedException(statement.template(), "engine unreachable (test switch)", null);
        }
        List<Object> p = statement.parameters();
        return switch (statement.template()) {
            case "queries/latest_package" -> new QueryResult(List.of("reference_id", "event_timestamp", "submission_id"),
                    latest.stream().filter(r -> r.businessUnit().equals(p.get(0)) && r.packageName().equals(p.get(1)))
                            .sorted(Comparator.comparingLong(LatestRow::referenceId))
                            .map(r -> List.<Object>of(r.referenceId(), r.eventTimestamp(), r.submissionId())).toList());
            case "queries/latest_unit" -> new QueryResult(List.of("package_name", "reference_id", "event_timestamp", "submission_id"),
                    latest.stream().filter(r -> r.businessUnit().equals(p.get(0)))
                            .sorted(Comparator.comparing(LatestRow::packageName).thenComparingLong(LatestRow::referenceId))
                            .map(r -> List.<Object>of(r.packageName(), r.referenceId(), r.eventTimestamp(), r.submissionId())).toList());
            case "queries/latest_unit_page" -> page((String) p.get(0), ((Number) p.get(1)).longValue(), ((Number) p.get(2)).longValue());
            case "queries/submission_applied" -> new QueryResult(List.of("row_count"), List.of(List.of(pit.stream()
                    .filter(r -> r.businessUnit().equals(p.get(0)) && r.requestDate().equals(p.get(1)) && r.submissionId().equals(p.get(2)))
                    .count())));
            default -> throw new QueryFailedException(statement.template(), "the fake does not know this template", null);
        };
    }

    private QueryResult page(String unit, long after, long upTo) {
        Map<String, List<LatestRow>> byPackage = new TreeMap<>();
        latest.stream().filter(r -> r.businessUnit().equals(unit))
                .forEach(r -> byPackage.computeIfAbsent(r.packageName(), k -> new ArrayList<>()).add(r));
        List<List<Object>> rows = new ArrayList<>();
        long number = 0;
        for (Map.Entry<String, List<LatestRow>> e : byPackage.entrySet()) {
            number++;
            if (number > after && number <= upTo) {
                LatestRow first = e.getValue().get(0);
                rows.add(List.of(e.getKey(), (long) e.getValue().size(), first.eventTimestamp(), first.submissionId()));
            }
        }
        return new QueryResult(List.of("package_name", "reference_ids_count", "event_timestamp", "submission_id"), rows);
    }
}
