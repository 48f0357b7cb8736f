package dev.soi.batch.testing;

import dev.soi.batch.compaction.CompactionJournal;
import dev.soi.batch.journal.ManifestCodec;
import dev.soi.batch.journal.RunManifest;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectSummary;
import java.time.Clock;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What the tables must hold after the submissions sent, computed from the submissions alone, and what the runs committed. */
public final class Expected {
    private static final ManifestCodec CODEC = new ManifestCodec();

    private Expected() {}

    /** The latest table: per package, the newest (accepted_at, submission_id) wins, and a tombstone removes it. */
    public static Set<LatestRow> latest(Collection<Submission> sent) {
        Comparator<Submission> newest = Comparator.comparing(Submission::acceptedAt).thenComparing(s -> s.id().toString());
        Map<List<String>, Submission> winners = new HashMap<>();
        Map<List<String>, PackageChange> changes = new HashMap<>();
        for (Submission s : sent) {
            for (PackageChange change : s.changes()) {
                List<String> key = List.of(s.businessUnit().code(), change.packageName().value());
                Submission current = winners.get(key);
                if (current == null || newest.compare(s, current) > 0) {
                    winners.put(key, s);
                    changes.put(key, change);
                }
            }
        }
        Set<LatestRow> latest = new HashSet<>();
        winners.forEach((key, s) -> changes.get(key).referenceIds()
                .forEach(id -> latest.add(new LatestRow(key.get(0), key.get(1), id, s.id().toString()))));
        return latest;
    }

    /** PIT rows per submission id: each submission's rows, once. */
    public static Map<String, Long> rowsPerSubmission(Collection<Submission> sent) {
        Map<String, Long> counts = new HashMap<>();
        sent.forEach(s -> counts.put(s.id().toString(), (long) s.rowCount()));
        return counts;
    }

    /** Every run manifest in the store. */
    public static List<RunManifest> manifests(ObjectStore store) {
        return store.list(StorageLayout.RUNS_PREFIX).stream().map(ObjectSummary::key)
                .map(key -> CODEC.read(key, store.get(key).orElseThrow().content())).toList();
    }

    /** The folder the table reads each partition that has PIT files from: its compaction record's, else the original one. */
    public static Map<PitPartition, String> currentFolders(ObjectStore store, Clock clock) {
        CompactionJournal compactions = new CompactionJournal(store, clock);
        Map<PitPartition, String> folders = new TreeMap<>();
        for (ObjectSummary object : store.list(StorageLayout.PIT_PREFIX)) {
            StorageLayout.partitionOf(object.key()).ifPresent(p -> folders.computeIfAbsent(p,
                    q -> CompactionJournal.locationOf(q, compactions.read(q))));
        }
        return folders;
    }

    /** The files of every committed manifest: the only PIT files that may be in the store. */
    public static Set<String> committedFiles(ObjectStore store) {
        Set<String> files = new HashSet<>();
        manifests(store).stream().filter(m -> m.state().isCommitted()).forEach(m -> m.files().forEach(f -> files.add(f.key())));
        return files;
    }
}
