package dev.soi.core.domain;

import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Beside {@link StorageLayout}: the keys of the compaction records and of the indexes that keep a run's listings flat in
 * history (the compaction index under {@code _compactions/}; the applied index and the bootstrap's progress under
 * {@code _journal/}).
 */
public final class IndexLayout {
    /**
     * The compaction index, so no run lists the PIT folder: a marker per partition, its key the prefix plus the
     * partition's path. {@code active/}: a compaction under way, or an old folder waiting to be deleted; {@code queue/due/}:
     * written since it was last compacted; {@code queue/set-aside/}: its compaction failed twice.
     */
    public static final String COMPACTION_ACTIVE_PREFIX = StorageLayout.COMPACTIONS_PREFIX + "active/";
    public static final String COMPACTION_QUEUE_PREFIX = StorageLayout.COMPACTIONS_PREFIX + "queue/";
    public static final String COMPACTION_DUE_PREFIX = COMPACTION_QUEUE_PREFIX + "due/";
    public static final String COMPACTION_SET_ASIDE_PREFIX = COMPACTION_QUEUE_PREFIX + "set-aside/";
    /** Listed with the active markers: the index holds every partition the PIT folder held when it was built. */
    public static final String COMPACTION_INDEX_BUILT_KEY = COMPACTION_ACTIVE_PREFIX + "_built";
    /** Where an unfinished {@code bootstrap} over existing data stopped, so the next one continues there. */
    public static final String BOOTSTRAP_PROGRESS_KEY = "_journal/bootstrap.json";
    /**
     * Cross-run dedupe's index: {@code _journal/applied/{yyyyMMddHH}/{runId}}, written before run {@code runId} opens its
     * manifest, for each UTC hour in which a submission it applies was accepted; {@code applied-since.json}: when the first was.
     */
    public static final String APPLIED_PREFIX = "_journal/applied/";
    public static final String APPLIED_SINCE_KEY = "_journal/applied-since.json";
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(java.time.ZoneOffset.UTC);

    /** The compaction record of {@code partition}. */
    public static String compactionKey(PitPartition partition) {
        return StorageLayout.COMPACTIONS_PREFIX + partition.path().substring(0, partition.path().length() - 1) + ".json";
    }

    /** The marker of {@code partition} in the compaction index under {@code indexPrefix} (no trailing {@code /}). */
    public static String compactionIndexKey(String indexPrefix, PitPartition partition) {
        return indexPrefix + partition.path().substring(0, partition.path().length() - 1);
    }

    /** The partition a marker of the compaction index under {@code indexPrefix} names, or empty for any other key. */
    public static Optional<PitPartition> partitionOfIndexKey(String indexPrefix, String key) {
        return key.startsWith(indexPrefix) ? StorageLayout.partitionOf(StorageLayout.PIT_PREFIX + key.substring(indexPrefix.length()) + "/x") : Optional.empty();
    }

    /** The markers of the runs that applied submissions accepted in {@code acceptedAt}'s UTC hour. */
    public static String appliedHourPrefix(java.time.Instant acceptedAt) {
        return APPLIED_PREFIX + HOUR.format(acceptedAt) + "/";
    }

    public static String appliedKey(java.time.Instant acceptedAt, RunId run) {
        return appliedHourPrefix(acceptedAt) + run;
    }

    private IndexLayout() {}
}
