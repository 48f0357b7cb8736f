package dev.soi.batch;

import static dev.soi.core.domain.Checks.checkArgument;

import dev.soi.core.domain.BusinessUnit;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the materialisation run ({@code soi.batch.*}). Every key is optional; a missing one takes
 * the default below. Validated at construction, so a bad setting stops the process at startup.
 *
 * @param units               business units the registry knows; a message for another unit goes to the DLQ.
 *                            Unset, it is the API's registry {@code soi.business-units} (see {@link #withRegistry});
 *                            with neither set, every well-formed unit code is accepted.
 * @param receivers           concurrent receivers while draining (default 4)
 * @param maxMessages         drain budget: messages per run (default 100,000)
 * @param maxBytes            drain budget: message body bytes per run (default 512 MiB)
 * @param maxSeconds          drain budget: seconds spent receiving (default 300)
 * @param receiveWait         long-polling wait per receive; an empty answer after it ends a receiver (default 2 s)
 * @param visibilityTimeout   how long received messages stay hidden (default maxSeconds + 5 min); must exceed
 *                            the drain budget so no message reappears while this run still holds it
 * @param targetFileBytes     a partition's file rolls to the next number past this size (default 128 MiB)
 * @param latestKeepVersions  latest-table version folders kept besides the current one (default 3)
 * @param latestGracePeriod   an older version is deleted only this long after its run finished, so queries
 *                            that started on it can finish (default 1 h)
 * @param leaseTtl            lease expiry; a crashed run blocks others at most this long (default maxSeconds + 10 min)
 * @param manifestLookback    how far back (days of run manifests) cross-run dedupe looks; SQS keeps a message
 *                            at most 14 days, so older commits cannot be redelivered (default 14 days)
 * @param progressInterval    how often a long run logs its progress (default 5 s)
 * @param compaction          closed-day compaction of PIT partitions ({@code soi.batch.compaction.*}, see {@link Compaction})
 */
@ConfigurationProperties("soi.batch")
public record BatchProperties(Set<String> units, Integer receivers, Integer maxMessages, Long maxBytes, Integer maxSeconds,
                              Duration receiveWait, Duration visibilityTimeout, Long targetFileBytes,
                              Integer latestKeepVersions, Duration latestGracePeriod, Duration leaseTtl,
                              Duration manifestLookback, Duration progressInterval, Compaction compaction) {

    /**
     * Settings of compaction ({@code soi.batch.compaction.*}).
     *
     * @param partitionsPerRun how many eligible partitions the scheduled run compacts after its own work, so a backlog
     *                         drains over a few runs within the Lambda's time; 0 turns scheduled compaction off (default 4)
     * @param closedDayGrace   a day's partition is eligible this long after the day closed (UTC), so its stragglers
     *                         are in first (default 1 h)
     * @param oldFilesGrace    a compacted partition's old folder is deleted this long after the swap, so queries that
     *                         planned over it can finish (default 1 h)
     */
    public record Compaction(Integer partitionsPerRun, Duration closedDayGrace, Duration oldFilesGrace) {
        public Compaction {
            partitionsPerRun = partitionsPerRun == null ? 4 : partitionsPerRun;
            closedDayGrace = closedDayGrace == null ? Duration.ofHours(1) : closedDayGrace;
            oldFilesGrace = oldFilesGrace == null ? Duration.ofHours(1) : oldFilesGrace;
            checkArgument(partitionsPerRun >= 0 && partitionsPerRun <= 1000,
                    "soi.batch.compaction.partitions-per-run must be 0-1000: %d", partitionsPerRun);
            checkArgument(!closedDayGrace.isNegative(), "soi.batch.compaction.closed-day-grace must not be negative: %s", closedDayGrace);
            checkArgument(!oldFilesGrace.isNegative(), "soi.batch.compaction.old-files-grace must not be negative: %s", oldFilesGrace);
        }

        public static Compaction defaults() {
            return new Compaction(null, null, null);
        }
    }


    public BatchProperties {
        units = units == null ? Set.of() : Set.copyOf(new TreeSet<>(units));
        receivers = receivers == null ? 4 : receivers;
        maxMessages = maxMessages == null ? 100_000 : maxMessages;
        maxBytes = maxBytes == null ? 512L * 1024 * 1024 : maxBytes;
        maxSeconds = maxSeconds == null ? 300 : maxSeconds;
        receiveWait = receiveWait == null ? Duration.ofSeconds(2) : receiveWait;
        visibilityTimeout = visibilityTimeout == null ? Duration.ofSeconds(maxSeconds).plusMinutes(5) : visibilityTimeout;
        targetFileBytes = targetFileBytes == null ? 128L * 1024 * 1024 : targetFileBytes;
        latestKeepVersions = latestKeepVersions == null ? 3 : latestKeepVersions;
        latestGracePeriod = latestGracePeriod == null ? Duration.ofHours(1) : latestGracePeriod;
        leaseTtl = leaseTtl == null ? Duration.ofSeconds(maxSeconds).plusMinutes(10) : leaseTtl;
        manifestLookback = manifestLookback == null ? Duration.ofDays(14) : manifestLookback;
        progressInterval = progressInterval == null ? Duration.ofSeconds(5) : progressInterval;
        compaction = compaction == null ? Compaction.defaults() : compaction;

        for (String unit : units) {
            checkArgument(BusinessUnit.isValid(unit), "soi.batch.units holds an invalid business unit: %s", unit);
        }
        checkArgument(receivers >= 1 && receivers <= 64, "soi.batch.receivers must be 1-64: %d", receivers);
        checkArgument(maxMessages >= 1, "soi.batch.max-messages must be >= 1: %d", maxMessages);
        checkArgument(maxBytes >= 1024, "soi.batch.max-bytes must be >= 1024: %d", maxBytes);
        checkArgument(maxSeconds >= 1, "soi.batch.max-seconds must be >= 1: %d", maxSeconds);
        checkArgument(!receiveWait.isNegative() && receiveWait.compareTo(Duration.ofSeconds(20)) <= 0,
                "soi.batch.receive-wait must be 0-20 s (the SQS long-polling limit): %s", receiveWait);
        checkArgument(visibilityTimeout.compareTo(Duration.ofSeconds(maxSeconds)) > 0,
                "soi.batch.visibility-timeout %s must exceed the drain budget of %d s, or messages reappear while this run holds them",
                visibilityTimeout, maxSeconds);
        checkArgument(visibilityTimeout.compareTo(Duration.ofHours(12)) <= 0,
                "soi.batch.visibility-timeout must be at most 12 h (the SQS limit): %s", visibilityTimeout);
        checkArgument(targetFileBytes >= 1024 * 1024, "soi.batch.target-file-bytes must be >= 1 MiB: %d", targetFileBytes);
        checkArgument(latestKeepVersions >= 1, "soi.batch.latest-keep-versions must be >= 1: %d", latestKeepVersions);
        checkArgument(!latestGracePeriod.isNegative(), "soi.batch.latest-grace-period must not be negative: %s", latestGracePeriod);
        checkArgument(leaseTtl.compareTo(Duration.ofSeconds(maxSeconds)) > 0,
                "soi.batch.lease-ttl %s must exceed the drain budget of %d s", leaseTtl, maxSeconds);
        checkArgument(manifestLookback.compareTo(Duration.ofDays(1)) >= 0, "soi.batch.manifest-lookback must be >= 1 day: %s", manifestLookback);
        checkArgument(!progressInterval.isNegative() && !progressInterval.isZero(), "soi.batch.progress-interval must be positive: %s", progressInterval);
    }

    /** All defaults. */
    public static BatchProperties defaults() {
        return new BatchProperties(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public boolean knowsUnit(BusinessUnit unit) {
        return units.isEmpty() || units.contains(unit.code());
    }

    /**
     * These settings with the product's one business-unit registry ({@code soi.business-units}, the API's):
     * it fills {@code units} when that is not set, and must agree with it when both are, so the batch never
     * dead-letters a unit the API accepted. A blank registry changes nothing.
     */
    public BatchProperties withRegistry(String businessUnits) {
        if (businessUnits == null || businessUnits.isBlank()) {
            return this;
        }
        Set<String> registry = new TreeSet<>();
        for (String unit : businessUnits.split(",")) {
            if (!unit.isBlank()) {
                registry.add(unit.trim());
            }
        }
        if (units.isEmpty()) {
            return withUnits(registry);
        }
        checkArgument(units.equals(registry), "soi.batch.units %s and soi.business-units %s disagree; set only soi.business-units "
                + "(SOI_BUSINESS_UNITS), which both the API and the batch read", new TreeSet<>(units), registry);
        return this;
    }

    public BatchProperties withUnits(Set<String> newUnits) {
        return new BatchProperties(newUnits, receivers, maxMessages, maxBytes, maxSeconds, receiveWait, visibilityTimeout,
                targetFileBytes, latestKeepVersions, latestGracePeriod, leaseTtl, manifestLookback, progressInterval, compaction);
    }

    public BatchProperties withCompaction(Compaction newCompaction) {
        return new BatchProperties(units, receivers, maxMessages, maxBytes, maxSeconds, receiveWait, visibilityTimeout,
                targetFileBytes, latestKeepVersions, latestGracePeriod, leaseTtl, manifestLookback, progressInterval, newCompaction);
    }
}
