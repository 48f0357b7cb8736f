package dev.soi.batch.compaction;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.IndexLayout;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.write.OwnWrites;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which partitions have compaction work, as markers ({@link StorageLayout#COMPACTION_ACTIVE_PREFIX} and
 * {@link StorageLayout#COMPACTION_QUEUE_PREFIX}), so that a run lists these few keys and never the PIT folder, whose
 * keys grow with the history (about 7,300 a year for 20 units once compacted, 2 million if compaction is off).
 *
 * <ul>
 *   <li><b>due</b>: a run wrote the partition since it was last compacted. Writers mark it before they write, so a crash
 *       leaves a marker too many (a partition found to need nothing is unmarked), never one too few.</li>
 *   <li><b>set aside</b>: its compaction failed twice in a row; the scheduled runs skip it, {@code compact} retries it.</li>
 *   <li><b>active</b>: a compaction of it is under way, or its old folder waits out its grace period. Marked before the
 *       compaction opens its record, unmarked once the record has nothing left to do.</li>
 * </ul>
 * Every partition the PIT folder held before the index existed is put in once, from one listing ({@link #build}), and
 * {@link StorageLayout#COMPACTION_INDEX_BUILT_KEY} says so; it is listed with the active markers, so a run learns it at
 * no extra call. A marker's content is only its partition and the write token of {@link OwnWrites}: writing one again
 * is harmless, so a write whose answer was lost is read back and, if it landed, counts as done. Stateless; thread-safe
 * as the store is.
 */
final class CompactionIndex {
    /** Oldest day first, then unit: a backlog drains in the order its days closed. */
    static final Comparator<PitPartition> OLDEST_FIRST = Comparator.comparing(PitPartition::requestDate)
            .thenComparing(PitPartition::businessUnit);

    private final ObjectStore store;
    private final OwnWrites writes;

    /** @param writer the run writing markers: its id goes into their write tokens */
    CompactionIndex(ObjectStore store, String writer) {
        this.store = requireNonNull(store, "object store");
        this.writes = new OwnWrites(store, writer);
    }

    /** The compaction queue: partitions due, and partitions set aside, each oldest first. */
    record Queue(List<PitPartition> due, List<PitPartition> setAside) {}

    /** The active partitions, oldest first, and whether the index was built. */
    record Active(List<PitPartition> partitions, boolean built) {}

    Queue queue() {
        List<PitPartition> due = new ArrayList<>();
        List<PitPartition> setAside = new ArrayList<>();
        for (ObjectSummary marker : store.list(IndexLayout.COMPACTION_QUEUE_PREFIX)) {
            IndexLayout.partitionOfIndexKey(IndexLayout.COMPACTION_DUE_PREFIX, marker.key()).ifPresent(due::add);
            IndexLayout.partitionOfIndexKey(IndexLayout.COMPACTION_SET_ASIDE_PREFIX, marker.key()).ifPresent(setAside::add);
        }
        due.sort(OLDEST_FIRST);
        setAside.sort(OLDEST_FIRST);
        return new Queue(due, setAside);
    }

    Active active() {
        List<PitPartition> partitions = new ArrayList<>();
        boolean built = false;
        for (ObjectSummary marker : store.list(IndexLayout.COMPACTION_ACTIVE_PREFIX)) {
            built |= marker.key().equals(IndexLayout.COMPACTION_INDEX_BUILT_KEY);
            IndexLayout.partitionOfIndexKey(IndexLayout.COMPACTION_ACTIVE_PREFIX, marker.key()).ifPresent(partitions::add);
        }
        partitions.sort(OLDEST_FIRST);
        return new Active(partitions, built);
    }

    void markDue(PitPartition partition) {
        mark(IndexLayout.COMPACTION_DUE_PREFIX, partition);
    }

    /** Nothing left to compact (done, or already as few files as its size needs); set-aside lifted too. */
    void clearDue(PitPartition partition) {
        store.delete(List.of(IndexLayout.compactionIndexKey(IndexLayout.COMPACTION_DUE_PREFIX, partition),
                IndexLayout.compactionIndexKey(IndexLayout.COMPACTION_SET_ASIDE_PREFIX, partition)));
    }

    /** Out of the scheduled runs' way until {@code compact} retries it; the set-aside marker first, so it is never in neither. */
    void setAside(PitPartition partition) {
        mark(IndexLayout.COMPACTION_SET_ASIDE_PREFIX, partition);
        store.delete(List.of(IndexLayout.compactionIndexKey(IndexLayout.COMPACTION_DUE_PREFIX, partition)));
    }

    void markActive(PitPartition partition) {
        mark(IndexLayout.COMPACTION_ACTIVE_PREFIX, partition);
    }

    void clearActive(PitPartition partition) {
        store.delete(List.of(IndexLayout.compactionIndexKey(IndexLayout.COMPACTION_ACTIVE_PREFIX, partition)));
    }

    /**
     * Puts in every partition of a listing of the PIT folder: due when a folder of it is an original one or holds more
     * than one file, active when its files lie in more than one folder; then records that the index is built.
     */
    void build(Map<PitPartition, TreeMap<String, List<ObjectSummary>>> folders) {
        for (Map.Entry<PitPartition, TreeMap<String, List<ObjectSummary>>> partition : folders.entrySet()) {
            if (partition.getValue().size() > 1) {
                markActive(partition.getKey());
            }
            boolean original = partition.getValue().keySet().stream().anyMatch(f -> StorageLayout.compactionOf(f).isEmpty());
            if (original || partition.getValue().lastEntry().getValue().size() > 1) {
                markDue(partition.getKey());
            }
        }
        writes.put(IndexLayout.COMPACTION_INDEX_BUILT_KEY, "{}".getBytes(StandardCharsets.UTF_8));
    }

    private void mark(String indexPrefix, PitPartition partition) {
        writes.put(IndexLayout.compactionIndexKey(indexPrefix, partition),
                ("{\"partition\":\"" + partition.path() + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    /** The PIT data files, by partition and folder (folders in key order: the original first, then by compaction). */
    static Map<PitPartition, TreeMap<String, List<ObjectSummary>>> folders(ObjectStore store) {
        Map<PitPartition, TreeMap<String, List<ObjectSummary>>> folders = new TreeMap<>();
        for (ObjectSummary object : store.list(StorageLayout.PIT_PREFIX)) {
            StorageLayout.partitionOf(object.key()).ifPresent(p -> folders.computeIfAbsent(p, x -> new TreeMap<>())
                    .computeIfAbsent(StorageLayout.partitionLocationOf(object.key()).orElseThrow(), f -> new ArrayList<>()).add(object));
        }
        return folders;
    }
}
