package dev.soi.batch.pit;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.compaction.Compactions;
import dev.soi.batch.ingest.Delivery;
import dev.soi.batch.journal.ManifestState;
import dev.soi.batch.journal.OwnManifest;
import dev.soi.batch.journal.Recovery;
import dev.soi.batch.journal.RunManifest;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.run.HeldLease;
import dev.soi.batch.run.Progress;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.Threads;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.Submission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code write-pit-files}: opens the run's PENDING manifest (submissions, partitions and the commits it carries),
 * then writes one Parquet file per partition (rolling past the target size, see {@link PartitionFiles}), rows sorted by
 * {@code (package_name, reference_id)}, several partitions at once, each staged: whole in the store, invisible to every
 * reader of the table. Last, the manifest names the files and their staged uploads (still PENDING), so whoever finishes
 * the run completes or aborts exactly those. A run reaches it only when the tables change ({@code rebuild-latest} with no
 * submissions: its manifest gives the rebuild its lineage). Read count: submissions; write count: rows.
 */
public final class WritePitFiles implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(WritePitFiles.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final HeldLease lease;
    private final Compactions compactions;
    private final WriteOnce<Recovery> recovery;
    private final Supplier<List<Delivery>> toApply;
    private final OwnManifest manifest;
    private final WriteOnce<Written> written;

    /**
     * @param toApply  the submissions to write, in the drain's order (none for {@code rebuild-latest}, which drains nothing)
     * @param manifest the run's own manifest, which this step opens
     * @param written  where it leaves the files it staged
     */
    public WritePitFiles(BatchPorts ports, RunContext run, HeldLease lease, Compactions compactions, WriteOnce<Recovery> recovery,
                         Supplier<List<Delivery>> toApply, OwnManifest manifest, WriteOnce<Written> written) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.lease = requireNonNull(lease, "lease");
        this.compactions = requireNonNull(compactions, "compactions");
        this.recovery = requireNonNull(recovery, "recovery");
        this.toApply = requireNonNull(toApply, "to apply");
        this.manifest = requireNonNull(manifest, "manifest");
        this.written = requireNonNull(written, "written");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        List<Delivery> toApply = this.toApply.get();
        TreeSet<PitPartition> partitions = new TreeSet<>();
        List<RunManifest.SubmissionEntry> entries = new ArrayList<>(toApply.size());
        for (Delivery d : toApply) {
            Submission s = d.submission();
            partitions.add(new PitPartition(s.businessUnit(), s.requestDate()));
            entries.add(new RunManifest.SubmissionEntry(s.id().toString(), s.businessUnit().code(), s.acceptedAt(), s.rowCount()));
        }
        manifest.open(new RunManifest(run.runId().value(), ManifestState.PENDING, lease.fencingToken(), run.startedAt(), null,
                entries, partitions.stream().map(RunManifest.PartitionEntry::of).toList(), List.of(), null,
                recovery.get().carriedRunIds(), null, null));
        ports.faults().at(FaultPoint.AFTER_MANIFEST_PENDING);

        PartitionFiles.Totals totals = new PartitionFiles.Totals();
        Progress progress = new Progress(run, ports.properties().progressInterval(),
                () -> totals.rows() + " rows written in " + totals.fileCount() + " files");
        // One task per partition, on up to writers() threads: each partition's files are its own, so they can be
        // written side by side. None of them is visible before the commit step, whatever order they end in.
        // The folder is resolved first, on this thread: it may settle a compaction record.
        List<Runnable> tasks = new ArrayList<>();
        int from = 0;
        while (from < toApply.size()) {
            Submission first = toApply.get(from).submission();
            PitPartition partition = new PitPartition(first.businessUnit(), first.requestDate());
            int to = from;
            while (to < toApply.size() && inPartition(toApply.get(to).submission(), partition)) {
                to++;
            }
            List<Delivery> inPartition = toApply.subList(from, to);
            String folder = compactions.folderForWrite(partition);
            tasks.add(() -> writePartition(partition, folder, inPartition, totals, progress));
            from = to;
        }
        Threads.run("write", writers(), tasks);
        List<RunManifest.FileEntry> files = totals.files();
        if (!files.isEmpty()) {
            manifest.stage(files);
        }
        long rows = files.stream().mapToLong(RunManifest.FileEntry::rows).sum();
        written.set(new Written(files, rows, totals.bytes()));
        StepCounts.record(contribution, toApply.size(), rows, 0);
        log.info("{}: wrote {} rows in {} files ({} bytes)", run, rows, files.size(), totals.bytes());
        return RepeatStatus.FINISHED;
    }

    /**
     * Partitions written at once: Parquet encoding is CPU-bound, so no more than the processors, and no more than
     * {@code receivers} (the run's one concurrency setting). Each open writer buffers at most one row group.
     */
    private int writers() {
        return Math.max(1, Math.min(ports.properties().receivers(), Runtime.getRuntime().availableProcessors()));
    }

    private static boolean inPartition(Submission s, PitPartition partition) {
        return s.businessUnit().equals(partition.businessUnit()) && s.requestDate().equals(partition.requestDate());
    }

    /** One package change of one submission, with the per-row strings prepared once. */
    record ChangeRef(String packageName, String submissionId, String submittedBy, long eventMillis, PackageChange change) {}

    private void writePartition(PitPartition partition, String folder, List<Delivery> submissions,
                                PartitionFiles.Totals totals, Progress progress) {
        // Sort the changes (one object per package version), not the rows: a backlog of millions of rows
        // then costs one small object per change plus the ids already held by the submissions.
        List<ChangeRef> changes = new ArrayList<>();
        for (Delivery d : submissions) {
            Submission s = d.submission();
            String id = s.id().toString();
            for (PackageChange change : s.changes()) {
                changes.add(new ChangeRef(change.packageName().value(), id, s.submittedBy(), s.acceptedAt().toEpochMilli(), change));
            }
        }
        changes.sort(Comparator.comparing(ChangeRef::packageName).thenComparing(ChangeRef::submissionId));
        // Late data for a compacted day goes to the folder the table reads that partition from (resolved by the caller).
        try (PartitionFiles files = new PartitionFiles(ports, run.runId(), lease, partition, folder, totals, progress, manifest::staged)) {
            int from = 0;
            while (from < changes.size()) {
                int to = from + 1;
                while (to < changes.size() && changes.get(to).packageName().equals(changes.get(from).packageName())) {
                    to++;
                }
                writePackage(changes.subList(from, to), files);
                from = to;
            }
            files.stageCurrent();
        }
    }

    /** Rows of all versions of one package, merged by reference id (tombstones first). */
    private static void writePackage(List<ChangeRef> versions, PartitionFiles files) {
        if (versions.size() == 1) {
            ChangeRef only = versions.get(0);
            if (only.change().isDeletion()) {
                files.write(null, only);
            } else {
                for (Long id : only.change().referenceIds()) {
                    files.write(id, only);
                }
            }
            return;
        }
        record Cursor(ChangeRef ref, int index) {
            long key() {
                return ref.change().isDeletion() ? Long.MIN_VALUE : ref.change().referenceIds().get(index);
            }
        }
        PriorityQueue<Cursor> heap = new PriorityQueue<>(Comparator.comparingLong(Cursor::key)
                .thenComparing(c -> c.ref().submissionId()));
        for (ChangeRef version : versions) {
            heap.add(new Cursor(version, 0));
        }
        while (!heap.isEmpty()) {
            Cursor cursor = heap.poll();
            ChangeRef ref = cursor.ref();
            if (ref.change().isDeletion()) {
                files.write(null, ref);
                continue;
            }
            files.write(ref.change().referenceIds().get(cursor.index()), ref);
            if (cursor.index() + 1 < ref.change().referenceIds().size()) {
                heap.add(new Cursor(ref, cursor.index() + 1));
            }
        }
    }
}
