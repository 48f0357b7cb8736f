package dev.soi.batch.pit;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.compaction.Compactions;
import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.journal.RunManifest;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.Folders;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes a run that never committed: deletes its PIT files, its staging table and its latest version folder
 * (a PENDING run never swapped, so that folder is never the current one), then marks its manifest ABORTED.
 * Used by {@code recover} for a crashed run, and by the job's listener for a run that failed before its commit.
 */
public final class RollBack {
    private static final Logger log = LoggerFactory.getLogger(RollBack.class);

    private final BatchPorts ports;
    private final Compactions compactions;

    public RollBack(BatchPorts ports, Compactions compactions) {
        this.ports = requireNonNull(ports, "ports");
        this.compactions = requireNonNull(compactions, "compactions");
    }

    /**
     * Rolls back the PENDING run {@code pending}; {@code abort} moves its manifest to ABORTED (the journal's own move
     * for another run's manifest, the run's own manifest claim for itself).
     */
    public void pending(ManifestJournal.Entry pending, UnaryOperator<ManifestJournal.Entry> abort) {
        RunManifest manifest = pending.manifest();
        List<String> keys = new ArrayList<>();
        for (PitPartition partition : manifest.pitPartitions()) {
            for (String folder : compactions.foldersOf(partition)) {
                ports.store().list(StorageLayout.runFilesPrefix(folder, manifest.runId())).forEach(o -> keys.add(o.key()));
            }
        }
        if (!keys.isEmpty()) {
            ports.store().delete(keys);
        }
        ports.engine().execute(ports.statements().dropStaging(StorageLayout.stagingTable(new RunId(manifest.runId()))));
        Folders.delete(ports.store(), StorageLayout.latestVersionPrefix(manifest.runId()));
        abort.apply(pending);
        log.info("rolled back run {} ({} files deleted)", manifest.runId(), keys.size());
    }
}
