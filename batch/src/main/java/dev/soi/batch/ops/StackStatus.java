package dev.soi.batch.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code status} reports: the lease, the queues, the last run of each outcome, the latest version and the
 * oldest submission not yet applied, and what needs an operator. Ages are whole seconds at {@code at}, never negative
 * (a record dated after {@code at} was written by a clock ahead of this one: its age is 0 and a warning says so);
 * null where there is nothing to age or the part could not be read (a problem then says why).
 *
 * @param queueVisible              null when the queue could not be read (as {@code queueInFlight}, {@code deadLettered})
 * @param oldestUnappliedAcceptedAt the oldest acceptance time among the open runs' submissions and a sample of
 *                                  up to 10 queued messages (SQS shows no more without receiving them all)
 * @param latestCurrentAsOf         the latest table held every submission accepted before this instant: the start
 *                                  of the newest run that drained the queue to its end and completed, whether it
 *                                  published or found nothing; null before such a run
 * @param problems                  what needs an operator, one line each, naming the object and the repair
 * @param warnings                  what an operator should know that needs no repair now (a clock behind, submissions
 *                                  stamped out of order)
 */
public record StackStatus(Instant at, String leaseHolder, Instant leaseSince, Instant leaseExpiresAt, Long queueVisible,
                          Long queueInFlight, Long deadLettered, Map<String, Map<String, Object>> lastRuns,
                          List<String> openRuns, String latestVersion, Instant latestPublishedAt,
                          Instant oldestUnappliedAcceptedAt, Instant latestCurrentAsOf, List<String> problems,
                          List<String> warnings) {

    public StackStatus {
        lastRuns = Map.copyOf(lastRuns);
        openRuns = List.copyOf(openRuns);
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    /** True when a problem needs an operator: {@code ./soi status} then exits non-zero. */
    public boolean needsOperator() {
        return !problems.isEmpty();
    }

    public Long latestAgeSeconds() {
        return age(latestPublishedAt);
    }

    /**
     * How stale the latest table may be: seconds since it was last known to hold every accepted submission. A quiet,
     * healthy stack stays within about one schedule period, although it publishes nothing; runs that fail, or that
     * cannot reach the end of the queue, let it grow. Before the first such run: the age of the last publication.
     */
    public Long latestStalenessSeconds() {
        return latestCurrentAsOf == null ? latestAgeSeconds() : age(latestCurrentAsOf);
    }

    public Long oldestUnappliedAgeSeconds() {
        return age(oldestUnappliedAcceptedAt);
    }

    private Long age(Instant since) {
        return since == null ? null : Math.max(0, Duration.between(since, at).toSeconds());
    }

    /** What the stack is doing, in a sentence, with what to do next when something needs a person. */
    public String sentence() {
        StringBuilder out = new StringBuilder();
        if (needsOperator()) {
            out.append(problems.size() == 1 ? "1 problem needs" : problems.size() + " problems need")
                    .append(" an operator (each names its repair). ");
        }
        if (leaseHolder != null) {
            out.append("Run ").append(leaseHolder).append(" holds the lease until ").append(leaseExpiresAt).append(". ");
        } else {
            out.append("No run holds the lease. ");
        }
        if (queueVisible == null) {
            out.append("The queue could not be read");
        } else {
            out.append(queueVisible).append(" messages wait in the queue, ").append(queueInFlight).append(" are being applied");
        }
        if (oldestUnappliedAgeSeconds() != null) {
            out.append(" (the oldest accepted ").append(oldestUnappliedAgeSeconds()).append(" s ago)");
        }
        out.append("; the latest table is version ").append(latestVersion == null ? "initial (nothing published yet)" : latestVersion);
        if (latestAgeSeconds() != null) {
            out.append(", published ").append(latestAgeSeconds()).append(" s ago");
        }
        if (latestCurrentAsOf != null && !latestCurrentAsOf.isAfter(at)) {
            out.append("; it held every submission accepted until ").append(latestStalenessSeconds()).append(" s ago");
        }
        out.append('.');
        if (deadLettered != null && deadLettered > 0) {
            out.append(' ').append(deadLettered).append(" messages are in the dead-letter queue: see dlq list.");
        }
        if (!openRuns.isEmpty()) {
            out.append(" Unfinished runs ").append(String.join(", ", openRuns)).append(needsOperator()
                    ? " stay open until a run succeeds." : " are finished by the next run.");
        }
        return out.toString();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("summary", sentence());
        map.put("needs_operator", needsOperator());
        map.put("problems", problems);
        map.put("warnings", warnings);
        map.put("at", at.toString());
        Map<String, Object> lease = new LinkedHashMap<>();
        lease.put("holder", leaseHolder);
        lease.put("since", text(leaseSince));
        lease.put("expires_at", text(leaseExpiresAt));
        map.put("lease", lease);
        Map<String, Object> queue = new LinkedHashMap<>();
        queue.put("visible", queueVisible);
        queue.put("in_flight", queueInFlight);
        queue.put("dead_lettered", deadLettered);
        map.put("queue", queue);
        map.put("last_runs", lastRuns);
        map.put("open_runs", openRuns);
        Map<String, Object> latest = new LinkedHashMap<>();
        latest.put("version", latestVersion);
        latest.put("published_at", text(latestPublishedAt));
        latest.put("age_seconds", latestAgeSeconds());
        latest.put("current_as_of", text(latestCurrentAsOf));
        latest.put("staleness_seconds", latestStalenessSeconds());
        map.put("latest", latest);
        Map<String, Object> oldest = new LinkedHashMap<>();
        oldest.put("accepted_at", text(oldestUnappliedAcceptedAt));
        oldest.put("age_seconds", oldestUnappliedAgeSeconds());
        map.put("oldest_unapplied", oldest);
        return map;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
