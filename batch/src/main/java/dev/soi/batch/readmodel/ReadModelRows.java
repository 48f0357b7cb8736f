package dev.soi.batch.readmodel;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.QueryResult;
import dev.soi.core.readmodel.PackageDocument;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer of {@code athena/read_model_changes} or {@code athena/read_model_full}, by package: the versions the runs
 * wrote (for the statuses, and the deletions), and what the latest table now holds (for the GETs and the listings).
 */
record ReadModelRows(Map<PackageKey, List<Written>> written, Map<PackageKey, PackageDocument> latest) {

    /** A package of a unit; sorted by unit, then name, as the listings are. */
    record PackageKey(BusinessUnit unit, PackageName name) implements Comparable<PackageKey> {
        @Override
        public int compareTo(PackageKey other) {
            int byUnit = unit.compareTo(other.unit);
            return byUnit != 0 ? byUnit : name.compareTo(other.name);
        }
    }

    /** One version a run wrote: its submission, timestamp and id count (0: a deletion). */
    record Written(SubmissionId submissionId, Instant eventTimestamp, long referenceIds) {
        boolean deletion() {
            return referenceIds == 0;
        }
    }

    static ReadModelRows of(QueryResult result) {
        Map<PackageKey, List<Written>> written = new TreeMap<>();
        Map<PackageKey, PackageDocument> latest = new TreeMap<>();
        int source = result.columnIndex("source");
        int unit = result.columnIndex("business_unit");
        int name = result.columnIndex("package_name");
        int submission = result.columnIndex("submission_id");
        int timestamp = result.columnIndex("event_timestamp");
        int count = result.columnIndex("reference_ids_count");
        int ids = result.columnIndex("reference_ids");
        for (List<Object> row : result.rows()) {
            PackageKey key = new PackageKey(BusinessUnit.of((String) row.get(unit)), PackageName.of((String) row.get(name)));
            SubmissionId id = SubmissionId.parse((String) row.get(submission));
            Instant at = instant(row.get(timestamp));
            long n = ((Number) row.get(count)).longValue();
            switch ((String) row.get(source)) {
                case "run" -> written.computeIfAbsent(key, k -> new ArrayList<>()).add(new Written(id, at, n));
                case "latest" -> {
                    List<Long> sorted = Arrays.stream(((String) row.get(ids)).split(",")).map(Long::parseLong).sorted().toList();
                    if (sorted.size() != n) {
                        throw new IllegalStateException("package " + key.name() + " of " + key.unit() + " has " + n
                                + " rows in the latest table but " + sorted.size() + " ids came back");
                    }
                    latest.put(key, PackageDocument.version(key.unit(), key.name(), sorted, at, id));
                }
                default -> throw new IllegalStateException("unexpected row source " + row.get(source));
            }
        }
        return new ReadModelRows(written, latest);
    }

    /** The port promises Instant; engines' drivers differ, so the offset-carrying types are accepted too. */
    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        } else if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        } else if (value instanceof ZonedDateTime z) {
            return z.toInstant();
        } else if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("expected a timestamp from the query engine, got " + value);
    }
}
