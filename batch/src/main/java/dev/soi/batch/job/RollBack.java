package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.manifest.ManifestJournal;
import dev.soi.batch.manifest.RunManifest;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectSummary;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes a run that never committed: deletes its PIT files, its staging table and its latest version folder
 * (a PENDING run never swapped, so that folder is never the current one), then marks its manifest ABORTED.
 * Used by recovery for a crashed run, and by {@link RunLifecycle} for a run that failed before its commit.
 */
public final class RollBack {
    private static final Logger log = LoggerFactory.getLogger(RollBack.class);

    private final BatchPorts ports;
    private final Compactions compactions;

    RollBack(BatchPorts ports, Compactions compactions) {
        this.ports = requireNonNull(ports, "ports");
        this.compactions = requireNonNull(compactions, "compactions");
    }

    /** Rolls back the PENDING run {@code pending}, on behalf of {@code run}. */
    void pending(RunState run, ManifestJournal.Entry pending) {
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
        deleteAll(StorageLayout.latestVersionPrefix(manifest.runId()));
        ManifestJournal.Entry aborted = run.journal().abort(pending);
        if (aborted.runId().equals(run.runId().value())) {
            run.manifest(aborted);
        }
        log.info("{} {}: rolled back run {} ({} files deleted)", run.command().label(), run.runId(), manifest.runId(), keys.size());
    }

    void deleteAll(String prefix) {
        List<String> keys = ports.store().list(prefix).stream().map(ObjectSummary::key).toList();
        if (!keys.isEmpty()) {
            ports.store().delete(keys);
        }
    }
}
