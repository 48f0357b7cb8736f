package dev.soi.batch.pit;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.Threads;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.PendingUpload;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staged uploads of a run's PIT files, as its manifest names them: completed once the manifest is COMMITTED (by the
 * run itself right after its commit, or by the run that carries it after a crash), aborted when it never will be.
 * Both are idempotent in the store, so a call whose answer was lost is simply made again.
 */
final class PitUploads {
    private static final Logger log = LoggerFactory.getLogger(PitUploads.class);

    private PitUploads() {}

    /** Makes every upload visible, several at once; each completion that fails is made once more before it fails the run. */
    static void complete(BatchPorts ports, Collection<PendingUpload> uploads) {
        if (uploads.isEmpty()) {
            return;
        }
        List<Runnable> tasks = new ArrayList<>();
        for (PendingUpload upload : uploads) {
            tasks.add(() -> {
                try {
                    ports.store().completeUpload(upload);
                } catch (ObjectStoreException first) {
                    log.warn("completing the upload of {} failed; completing it again: {}", upload.key(), first.toString());
                    ports.store().completeUpload(upload);
                }
            });
        }
        Threads.run("complete", Math.max(1, Math.min(ports.properties().receivers(), tasks.size())), tasks);
    }

    /** Discards every upload; one already gone is not an error, one already completed is never touched. */
    static void abort(BatchPorts ports, Collection<PendingUpload> uploads) {
        for (PendingUpload upload : uploads) {
            ports.store().abortUpload(upload);
        }
    }
}
