package dev.soi.batch.journal;

import dev.soi.core.domain.PitPartition;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the journal held unfinished when a run started, and what the run's {@code recover} step did with it: runs rolled
 * back, committed runs this run carries to DONE, and the latest version the last finished run published (null before
 * the first publication).
 */
public record Recovery(List<String> rolledBack, List<ManifestJournal.Entry> carried, String lastPublished) {
    public static final Recovery NONE = new Recovery(List.of(), List.of(), null);

    public Recovery {
        rolledBack = List.copyOf(rolledBack);
        carried = List.copyOf(carried);
    }

    public List<String> carriedRunIds() {
        return carried.stream().map(ManifestJournal.Entry::runId).toList();
    }

    /** The partitions the carried runs wrote. */
    public Set<PitPartition> partitions() {
        Set<PitPartition> partitions = new TreeSet<>();
        carried.forEach(e -> partitions.addAll(e.manifest().pitPartitions()));
        return partitions;
    }

    /** Business units the carried runs changed. */
    public Set<String> units() {
        Set<String> units = new TreeSet<>();
        carried.forEach(e -> e.manifest().partitions().forEach(p -> units.add(p.businessUnit())));
        return units;
    }
}
