package dev.soi.batch.run;

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
 * @param units               business units the registry knows. A submission of another unit (one removed from
 *                            the registry after the API accepted it) is applied with a warning, never dropped.
 *                            Unset, it is the API's registry {@code soi.business-units} (see {@link #withRegistry}).
 * @param receivers           concurrent receivers while draining (default 4)
 * @param maxMessages         drain budget: messages per run (default 100,000)
 * @param maxBytes            drain budget: bytes of message bodies and of the claim-check payloads they point at,
 *                            per run (default 512 MiB)
 * @param maxSeconds          drain budget: seconds spent receiving (default 300)
 * @param receiveWait         long-polling wait per receive; an empty answer after it ends a receiver (default 2 s)
 * @param visibilityTimeout   how long a received message stays hidden (default 60 s). The heartbeat extends the
 *                            messages a live run holds, so this bounds how soon a crashed run's messages come back,
 *                            not how long a run may take; at least three heartbeats
 * @param targetFileBytes     a partition's file rolls to the next number past this size (default 128 MiB)
 * @param latestKeepVersions  latest-table version folders kept besides the current one (default 3)
 * @param latestGracePeriod   an older version is deleted only this long after its run finished, so queries
 *                            that started on it can finish (default 1 h)
 * @param leaseTtl            lease expiry; a live run renews it every {@code heartbeat}, so a crashed run blocks
 *                            others at most this long after its last renewal (default 60 s)
 * @param heartbeat           how often a live run renews its lease (default 20 s); at most a third of
 *                            {@code leaseTtl}, so two missed renewals in a row still leave the lease held
 * @param manifestLookback    how far back (days of run manifests) cross-run dedupe looks; SQS keeps a message
 *                            at most 14 days, so older commits cannot be redelivered (default 14 days)
 * @param progressInterval    how often a long run logs its progress (default 5 s)
 * @param compaction          closed-day compaction of PIT partitions ({@code soi.batch.compaction.*}, see {@link Compaction})
 * @param latestCatalogVersions versions of the latest table the catalog keeps, the current one included (default 10): Glue
 *                            archives one at each swap, up to its limit per table, so older ones are deleted after each swap
 */
@ConfigurationProperties("soi.batch")
public record BatchProperties(Set<String> units, Integer receivers, Integer maxMessages, Long maxBytes, Integer maxSeconds,
                              Duration receiveWait, Duration visibilityTimeout, Long targetFileBytes,
                              Integer latestKeepVersions, Duration latestGracePeriod, Duration leaseTtl,
                              Duration heartbeat, Duration manifestLookback, Duration progressInterval,
                              Compaction compaction, Integer latestCatalogVersions) {


    /**
     * Settings of compaction ({@code soi.batch.compaction.*}).
     *
     * @param partitionsPerRun how many eligible partitions the scheduled run compacts after its own work, so a backlog
     *                         drains over a few runs within the Lambda's time; 0 turns scheduled compaction off (default 4)
     * @param closedDayGrace   a day's partition is eligible this long after the day closed (UTC), so its stragglers
     *                         are in first (default 1 h)
     * @param oldFilesGrace    a compacted partition's old folder is deleted this long after the swap, so queries that
     *                         planned over it can finish (default 1 h)
     * @param partitionEstimate how long one partition's compaction may take, before one has taken longer: a partition is
     *                         started only if the invocation has this long left (default 2 min; on Athena one takes five
     *                         statements of a few seconds each)
     */
    public record Compaction(Integer partitionsPerRun, Duration closedDayGrace, Duration oldFilesGrace, Duration partitionEstimate) {
        public Compaction {
            partitionsPerRun = partitionsPerRun == null ? 4 : partitionsPerRun;
            closedDayGrace = closedDayGrace == null ? Duration.ofHours(1) : closedDayGrace;
            oldFilesGrace = oldFilesGrace == null ? Duration.ofHours(1) : oldFilesGrace;
            partitionEstimate = partitionEstimate == null ? Duration.ofMinutes(2) : partitionEstimate;
            checkArgument(!partitionEstimate.isNegative(), "soi.batch.compaction.partition-estimate must not be negative: %s", partitionEstimate);
            checkArgument(partitionsPerRun >= 0 && partitionsPerRun <= 1000,
                    "soi.batch.compaction.partitions-per-run must be 0-1000: %d", partitionsPerRun);
            checkArgument(!closedDayGrace.isNegative(), "soi.batch.compaction.closed-day-grace must not be negative: %s", closedDayGrace);
            checkArgument(!oldFilesGrace.isNegative(), "soi.batch.compaction.old-files-grace must not be negative: %s", oldFilesGrace);
        }

        public static Compaction defaults() {
            return new Compaction(null, null, null, null);
        }
    }


    public BatchProperties {
        units = units == null ? Set.of() : Set.copyOf(new TreeSet<>(units));
        receivers = receivers == null ? 4 : receivers;
        maxMessages = maxMessages == null ? 100_000 : maxMessages;
        maxBytes = maxBytes == null ? 512L * 1024 * 1024 : maxBytes;
        maxSeconds = maxSeconds == null ? 300 : maxSeconds;
        receiveWait = receiveWait == null ? Duration.ofSeconds(2) : receiveWait;
        visibilityTimeout = visibilityTimeout == null ? Duration.ofSeconds(60) : visibilityTimeout;
        targetFileBytes = targetFileBytes == null ? 128L * 1024 * 1024 : targetFileBytes;
        latestKeepVersions = latestKeepVersions == null ? 3 : latestKeepVersions;
        latestGracePeriod = latestGracePeriod == null ? Duration.ofHours(1) : latestGracePeriod;
        leaseTtl = leaseTtl == null ? Duration.ofSeconds(60) : leaseTtl;
        heartbeat = heartbeat == null ? leaseTtl.dividedBy(3) : heartbeat;
        manifestLookback = manifestLookback == null ? Duration.ofDays(14) : manifestLookback;
        progressInterval = progressInterval == null ? Duration.ofSeconds(5) : progressInterval;
        compaction = compaction == null ? Compaction.defaults() : compaction;
        latestCatalogVersions = latestCatalogVersions == null ? 10 : latestCatalogVersions;

        for (String unit : units) {
            checkArgument(BusinessUnit.isValid(unit), "soi.batch.units holds an invalid business unit: %s", unit);
        }
        checkArgument(receivers >= 1 && receivers <= 64, "soi.batch.receivers must be 1-64: %d", receivers);
        checkArgument(maxMessages >= 1, "soi.batch.max-messages must be >= 1: %d", maxMessages);
        checkArgument(maxBytes >= 1024, "soi.batch.max-bytes must be >= 1024: %d", maxBytes);
        checkArgument(maxSeconds >= 1, "soi.batch.max-seconds must be >= 1: %d", maxSeconds);
        checkArgument(!receiveWait.isNegative() && receiveWait.compareTo(Duration.ofSeconds(20)) <= 0,
                "soi.batch.receive-wait must be 0-20 s (the SQS long-polling limit): %s", receiveWait);
        checkArgument(visibilityTimeout.compareTo(Duration.ofHours(12)) <= 0,
                "soi.batch.visibility-timeout must be at most 12 h (the SQS limit): %s", visibilityTimeout);
        checkArgument(targetFileBytes >= 1024 * 1024, "soi.batch.target-file-bytes must be >= 1 MiB: %d", targetFileBytes);
        checkArgument(latestKeepVersions >= 1, "soi.batch.latest-keep-versions must be >= 1: %d", latestKeepVersions);
        checkArgument(!latestGracePeriod.isNegative(), "soi.batch.latest-grace-period must not be negative: %s", latestGracePeriod);
        checkArgument(leaseTtl.compareTo(Duration.ofSeconds(3)) >= 0, "soi.batch.lease-ttl must be at least 3 s: %s", leaseTtl);
        checkArgument(heartbeat.compareTo(Duration.ofMillis(100)) >= 0 && heartbeat.multipliedBy(3).compareTo(leaseTtl) <= 0,
                "soi.batch.heartbeat %s must be at least 100 ms and at most a third of soi.batch.lease-ttl %s, so two missed "
                        + "renewals still leave the lease held", heartbeat, leaseTtl);
        checkArgument(visibilityTimeout.compareTo(heartbeat.multipliedBy(3)) >= 0 && visibilityTimeout.toMillis() % 1000 == 0,
                "soi.batch.visibility-timeout %s must be whole seconds and at least three soi.batch.heartbeat (%s), so the "
                        + "heartbeat extends the messages a run holds before they reappear", visibilityTimeout, heartbeat);
        checkArgument(manifestLookback.compareTo(Duration.ofDays(1)) >= 0, "soi.batch.manifest-lookback must be >= 1 day: %s", manifestLookback);
        checkArgument(!progressInterval.isNegative() && !progressInterval.isZero(), "soi.batch.progress-interval must be positive: %s", progressInterval);
        checkArgument(latestCatalogVersions >= 2 && latestCatalogVersions <= 1000,
                "soi.batch.latest-catalog-versions must be 2-1000 (the current version and at least one before it): %d",
                latestCatalogVersions);
    }

    /** All defaults. */
    public static BatchProperties defaults() {
        return builder().build();
    }

    /** Settings from scratch: every key left unset takes its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** These settings as a builder, every value as resolved (defaults included, the heartbeat too). */
    public Builder toBuilder() {
        return builder().units(units).receivers(receivers).maxMessages(maxMessages).maxBytes(maxBytes).maxSeconds(maxSeconds)
                .receiveWait(receiveWait).visibilityTimeout(visibilityTimeout).targetFileBytes(targetFileBytes)
                .latestKeepVersions(latestKeepVersions).latestGracePeriod(latestGracePeriod).leaseTtl(leaseTtl)
                .heartbeat(heartbeat).manifestLookback(manifestLookback).progressInterval(progressInterval)
                .compaction(compaction).latestCatalogVersions(latestCatalogVersions);
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
            return toBuilder().units(registry).build();
        }
        checkArgument(units.equals(registry), "soi.batch.units %s and soi.business-units %s disagree; set only soi.business-units "
                + "(SOI_BUSINESS_UNITS), which both the API and the batch read", new TreeSet<>(units), registry);
        return this;
    }

    /** Settings by name; {@link #build()} validates them as the constructor does. */
    public static final class Builder {
        private Set<String> units;
        private Integer receivers;
        private Integer maxMessages;
        private Long maxBytes;
        private Integer maxSeconds;
        private Duration receiveWait;
        private Duration visibilityTimeout;
        private Long targetFileBytes;
        private Integer latestKeepVersions;
        private Duration latestGracePeriod;
        private Duration leaseTtl;
        private Duration heartbeat;
        private Duration manifestLookback;
        private Duration progressInterval;
        private Compaction compaction;
        private Integer latestCatalogVersions;

        private Builder() {}

        public Builder units(Set<String> value) { units = value; return this; }

        public Builder units(String... value) { return units(Set.of(value)); }

        public Builder receivers(Integer value) { receivers = value; return this; }

        public Builder maxMessages(Integer value) { maxMessages = value; return this; }

        public Builder maxBytes(Long value) { maxBytes = value; return this; }

        public Builder maxSeconds(Integer value) { maxSeconds = value; return this; }

        public Builder receiveWait(Duration value) { receiveWait = value; return this; }

        public Builder visibilityTimeout(Duration value) { visibilityTimeout = value; return this; }

        public Builder targetFileBytes(Long value) { targetFileBytes = value; return this; }

        public Builder latestKeepVersions(Integer value) { latestKeepVersions = value; return this; }

        public Builder latestGracePeriod(Duration value) { latestGracePeriod = value; return this; }

        public Builder leaseTtl(Duration value) { leaseTtl = value; return this; }

        public Builder heartbeat(Duration value) { heartbeat = value; return this; }

        public Builder manifestLookback(Duration value) { manifestLookback = value; return this; }

        public Builder progressInterval(Duration value) { progressInterval = value; return this; }

        public Builder compaction(Compaction value) { compaction = value; return this; }

        public Builder latestCatalogVersions(Integer value) { latestCatalogVersions = value; return this; }

        public BatchProperties build() {
            return new BatchProperties(units, receivers, maxMessages, maxBytes, maxSeconds, receiveWait, visibilityTimeout,
                    targetFileBytes, latestKeepVersions, latestGracePeriod, leaseTtl, heartbeat, manifestLookback,
                    progressInterval, compaction, latestCatalogVersions);
        }
    }
}
