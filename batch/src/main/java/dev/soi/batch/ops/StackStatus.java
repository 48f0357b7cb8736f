package dev.soi.batch.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code status} reports: the lease, the queues, the last run of each outcome, the latest version and the
 * oldest submission not yet applied. Ages are seconds at {@code at}; null where there is nothing to age.
 *
 * @param oldestUnappliedAcceptedAt the oldest acceptance time among the open runs' submissions and a sample of
 *                                  up to 10 queued messages (SQS shows no more without receiving them all)
 * @param latestCurrentAsOf         the latest table held every submission accepted before this instant: the start
 *                                  of the newest run that drained the queue to its end and completed, whether it
 *                                  published or found nothing; null before such a run
 */
public record StackStatus(Instant at, String leaseHolder, Instant leaseSince, Instant leaseExpiresAt, long queueVisible,
                          long queueInFlight, long deadLettered, Map<String, Map<String, Object>> lastRuns,
                          List<String> openRuns, String latestVersion, Instant latestPublishedAt,
                          Instant oldestUnappliedAcceptedAt, Instant latestCurrentAsOf) {

    public StackStatus {
        lastRuns = Map.copyOf(lastRuns);
        openRuns = List.copyOf(openRuns);
    }

    public Long latestAgeSeconds() {
        return latestPublishedAt == null ? null : Duration.between(latestPublishedAt, at).toSeconds();
    }

    /**
     * How stale the latest table may be: seconds since it was last known to hold every accepted submission. A quiet,
     * healthy stack stays within about one schedule period, although it publishes nothing; runs that fail, or that
     * cannot reach the end of the queue, let it grow. Before the first such run: the age of the last publication.
     */
    public Long latestStalenessSeconds() {
        return latestCurrentAsOf == null ? latestAgeSeconds() : Math.max(0, Duration.between(latestCurrentAsOf, at).toSeconds());
    }

    public Long oldestUnappliedAgeSeconds() {
        return oldestUnappliedAcceptedAt == null ? null : Math.max(0, Duration.between(oldestUnappliedAcceptedAt, at).toSeconds());
    }

    /** What the stack is doing, in a sentence, with what to do next when something needs a person. */
    public String sentence() {
        StringBuilder out = new StringBuilder();
        if (leaseHolder != null) {
            out.append("Run ").append(leaseHolder).append(" holds the lease until ").append(leaseExpiresAt).append(". ");
        } else {
            out.append("No run holds the lease. ");
        }
        out.append(queueVisible).append(" messages wait in the queue, ").append(queueInFlight).append(" are being applied");
        if (oldestUnappliedAgeSeconds() != null) {
            out.append(" (the oldest accepted ").append(oldestUnappliedAgeSeconds()).append(" s ago)");
        }
        out.append("; the latest table is version ").append(latestVersion == null ? "initial (nothing published yet)" : latestVersion);
        if (latestAgeSeconds() != null) {
            out.append(", published ").append(latestAgeSeconds()).append(" s ago");
        }
        if (latestCurrentAsOf != null) {
            out.append("; it held every submission accepted until ").append(latestStalenessSeconds()).append(" s ago");
        }
        out.append('.');
        if (deadLettered > 0) {
            out.append(' ').append(deadLettered).append(" messages are in the dead-letter queue: see dlq list.");
        }
        if (!openRuns.isEmpty()) {
            out.append(" Unfinished runs ").append(String.join(", ", openRuns)).append(" are finished by the next run.");
        }
        return out.toString();
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("summary", sentence());
        map.put("at", at.toString());
        Map<String, Object> lease = new LinkedHashMap<>();
        lease.put("holder", leaseHolder);
        lease.put("since", leaseSince == null ? null : leaseSince.toString());
        lease.put("expires_at", leaseExpiresAt == null ? null : leaseExpiresAt.toString());
        map.put("lease", lease);
        map.put("queue", Map.of("visible", queueVisible, "in_flight", queueInFlight, "dead_lettered", deadLettered));
        map.put("last_runs", lastRuns);
        map.put("open_runs", openRuns);
        Map<String, Object> latest = new LinkedHashMap<>();
        latest.put("version", latestVersion);
        latest.put("published_at", latestPublishedAt == null ? null : latestPublishedAt.toString());
        latest.put("age_seconds", latestAgeSeconds());
        latest.put("current_as_of", latestCurrentAsOf == null ? null : latestCurrentAsOf.toString());
        latest.put("staleness_seconds", latestStalenessSeconds());
        map.put("latest", latest);
        Map<String, Object> oldest = new LinkedHashMap<>();
        oldest.put("accepted_at", oldestUnappliedAcceptedAt == null ? null : oldestUnappliedAcceptedAt.toString());
        oldest.put("age_seconds", oldestUnappliedAgeSeconds());
        map.put("oldest_unapplied", oldest);
        return map;
    }
}
