package dev.soi.batch.pit;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.compaction.Compactions;
import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.journal.ManifestState;
import dev.soi.batch.journal.RunManifest;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.Folders;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.PendingUpload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undoes a run that never committed, fence first: the run's manifest is read afresh, and only if it is PENDING there is
 * it moved to ABORTED by compare-and-swap on that etag; only once that write is this run's does anything get deleted.
 * So a run whose commit landed while its answer was lost (COMMITTED in the store, PENDING in what it believed) loses
 * nothing, and two runs never both clean up. The clean-up aborts the staged uploads the manifest names (and those the
 * failing run staged before naming them), deletes any file of the run already visible, its staging table and its latest
 * version folder (a PENDING run never swapped, so that folder is never the current one), and last the open-run marker:
 * an ABORTED run that still has its marker was cut short, and is cleaned up again. Used by {@code recover} for a crashed
 * run, and by the job's listener for a run that failed.
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
     * Rolls run {@code runId} back if its manifest, read now through {@code journal}, is PENDING, or finishes the clean-up
     * of one already ABORTED; a COMMITTED or DONE run is left alone. {@code stagedHere} are uploads the caller staged
     * for that run and may not have named in its manifest yet. Returns the state the manifest was found in, empty if it
     * was never written.
     */
    public Optional<ManifestState> ifNotCommitted(ManifestJournal journal, RunId runId, Collection<PendingUpload> stagedHere) {
        Optional<ManifestJournal.Entry> found = journal.reread(StorageLayout.manifestKey(runId));
        if (found.isEmpty()) {
            // The manifest never landed: nothing names these uploads but the run that staged them.
            PitUploads.abort(ports, stagedHere);
            journal.forget(runId);
            return Optional.empty();
        }
        ManifestJournal.Entry entry = found.get();
        switch (entry.state()) {
            case PENDING -> cleanUp(journal, journal.abort(entry).manifest(), stagedHere);
            case ABORTED -> cleanUp(journal, entry.manifest(), stagedHere);
            default -> log.info("run {} is {} in the store, so nothing of it is rolled back", runId, entry.state());
        }
        return Optional.of(entry.state());
    }

    private void cleanUp(ManifestJournal journal, RunManifest manifest, Collection<PendingUpload> stagedHere) {
        Set<PendingUpload> uploads = new LinkedHashSet<>(manifest.pendingUploads());
        uploads.addAll(stagedHere);
        PitUploads.abort(ports, uploads);
        // Files visible before their commit were written by versions that completed each file as it was written.
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
        journal.forget(new RunId(manifest.runId()));
        log.info("rolled back run {} ({} uploads aborted, {} files deleted)", manifest.runId(), uploads.size(), keys.size());
    }
}
