package dev.soi.batch.testing;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.PitRow;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectSummary;
import dev.soi.parquet.PitParquetReader;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads PIT Parquet files back from any object store. */
public final class PitFiles {
    private PitFiles() {}

    /** Every data file under the PIT folder: the batch's Parquet files and those an engine's compaction named. */
    public static List<String> keys(ObjectStore store) {
        return store.list(StorageLayout.PIT_PREFIX).stream().map(ObjectSummary::key)
                .filter(k -> StorageLayout.partitionOf(k).isPresent()).toList();
    }

    public static PitPartition partitionOf(String key) {
        return StorageLayout.partitionOf(key).orElseThrow(() -> new AssertionError("not a PIT file: " + key));
    }

    public static List<PitRow> read(ObjectStore store, String key) {
        byte[] content = store.get(key).orElseThrow(() -> new AssertionError("no object " + key)).content();
        return PitParquetReader.read(content, partitionOf(key));
    }

    /** Rows of the given files, keyed by file, in key order. */
    public static Map<String, List<PitRow>> readAll(ObjectStore store, Collection<String> keys) {
        Map<String, List<PitRow>> rows = new LinkedHashMap<>();
        keys.stream().sorted().forEach(k -> rows.put(k, read(store, k)));
        return rows;
    }

    /** Rows of every file in registered partitions (what a table scan sees). */
    public static List<PitRow> rowsIn(ObjectStore store, Set<PitPartition> partitions) {
        List<PitRow> rows = new ArrayList<>();
        for (String key : keys(store)) {
            if (partitions.contains(partitionOf(key))) {
                rows.addAll(read(store, key));
            }
        }
        return rows;
    }

    /** Rows of the files directly in each registered partition's folder (what a table scan sees once compacted). */
    public static List<PitRow> rowsIn(ObjectStore store, Map<PitPartition, String> folders) {
        List<PitRow> rows = new ArrayList<>();
        for (Map.Entry<PitPartition, String> partition : folders.entrySet()) {
            String folder = partition.getValue();
            for (ObjectSummary object : store.list(folder)) {
                if (StorageLayout.partitionOf(object.key()).isPresent() && object.key().lastIndexOf('/') == folder.length() - 1) {
                    rows.addAll(read(store, object.key()));
                }
            }
        }
        return rows;
    }

    /** Rows per submission id across the given rows. */
    public static Map<String, Long> rowsPerSubmission(Collection<PitRow> rows) {
        Map<String, Long> counts = new HashMap<>();
        rows.forEach(r -> counts.merge(r.submissionId().toString(), 1L, Long::sum));
        return counts;
    }
}
