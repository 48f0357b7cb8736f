package dev.soi.batch.pit;

import dev.soi.batch.journal.RunManifest;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.run.HeldLease;
import dev.soi.batch.run.Progress;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.PendingUpload;
import dev.soi.parquet.PitParquetWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The files one run writes into one partition: rows go to file {@code n}; past the target size (the flushed,
 * compressed bytes) it is staged and the writer rolls to {@code n + 1}. A staged file is whole in the store and invisible
 * (its upload is completed only after the manifest commits, see {@code CommitManifest}); each is staged right after a
 * lease check, and handed to {@code staged} at once, so a run that fails later aborts it. {@link #close()} discards a
 * file that was not staged.
 */
final class PartitionFiles implements AutoCloseable {
    private static final int ROWS_BETWEEN_SIZE_CHECKS = 4096;

    /**
     * What the run's files add up to so far. Shared by the partitions written side by side: rows are counted
     * per file and added when it is staged, so no row contends for a lock.
     */
    static final class Totals {
        private final List<RunManifest.FileEntry> files = new ArrayList<>();
        private final AtomicLong rows = new AtomicLong();
        private long bytes;

        private synchronized void add(RunManifest.FileEntry file) {
            files.add(file);
            bytes += file.bytes();
        }

        /** The staged files, by key: the same list however the partitions' writes interleaved. */
        synchronized List<RunManifest.FileEntry> files() {
            List<RunManifest.FileEntry> sorted = new ArrayList<>(files);
            sorted.sort(Comparator.comparing(RunManifest.FileEntry::key));
            return sorted;
        }

        synchronized int fileCount() {
            return files.size();
        }

        /** Rows written so far, those of files not yet staged included (progress only reads it mid-step). */
        long rows() {
            return rows.get();
        }

        synchronized long bytes() {
            return bytes;
        }
    }

    private final BatchPorts ports;
    private final RunId run;
    private final HeldLease lease;
    private final PitPartition partition;
    private final String folder;
    private final Totals totals;
    private final Progress progress;
    private final Consumer<PendingUpload> staged;
    private final String runId;
    private PitParquetWriter writer;
    private int number;
    private long sinceCheck;

    PartitionFiles(BatchPorts ports, RunId run, HeldLease lease, PitPartition partition, String folder, Totals totals,
                   Progress progress, Consumer<PendingUpload> staged) {
        this.ports = ports;
        this.run = run;
        this.lease = lease;
        this.partition = partition;
        this.folder = folder;
        this.totals = totals;
        this.progress = progress;
        this.staged = staged;
        this.runId = run.value();
    }

    void write(Long referenceId, WritePitFiles.ChangeRef ref) {
        if (writer == null) {
            String key = StorageLayout.pitFileKey(folder, run, number);
            writer = PitParquetWriter.open(ports.store().startUpload(key), key,
                    Math.min(PitParquetWriter.DEFAULT_ROW_GROUP_BYTES, ports.properties().targetFileBytes()));
        }
        writer.write(referenceId, ref.packageName(), ref.eventMillis(), ref.submissionId(), ref.submittedBy(), runId);
        if (++sinceCheck >= ROWS_BETWEEN_SIZE_CHECKS) {
            sinceCheck = 0;
            totals.rows.addAndGet(ROWS_BETWEEN_SIZE_CHECKS);
            progress.maybeLog();
            // Flushed bytes are the true compressed size; a file overshoots the target by at most one row group.
            if (writer.flushedBytes() >= ports.properties().targetFileBytes()) {
                stageCurrent();
                number++;
            }
        }
    }

    void stageCurrent() {
        if (writer == null) {
            return;
        }
        // A run whose lease was taken over stops here rather than upload more for a commit that cannot happen.
        lease.check();
        PitParquetWriter.Result result = writer.stage();
        writer.close();
        writer = null;
        staged.accept(result.upload());
        totals.add(new RunManifest.FileEntry(result.key(), partition.businessUnit().code(), partition.requestDate(),
                result.rows(), result.bytes(), RunManifest.Upload.of(result.upload())));
        totals.rows.addAndGet(sinceCheck);
        sinceCheck = 0;
        ports.faults().at(FaultPoint.AFTER_UPLOAD);
    }

    @Override
    public void close() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
