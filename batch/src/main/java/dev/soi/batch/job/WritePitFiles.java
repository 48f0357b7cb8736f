package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.job.RunState.Drained;
import dev.soi.batch.manifest.ManifestState;
import dev.soi.batch.manifest.RunManifest;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.Submission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code write-pit-files}: opens the run's PENDING manifest (submissions and partitions), then writes one
 * Parquet file per partition (rolling past the target size, see {@link PartitionFiles}), rows sorted by
 * {@code (package_name, reference_id)}, several partitions at once. Does nothing when the tables do not change. Read count: submissions;
 * write count: rows.
 */
public final class WritePitFiles implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(WritePitFiles.class);

    private final BatchPorts ports;
    private final Compactions compactions;

    WritePitFiles(BatchPorts ports, Compactions compactions) {
        this.ports = requireNonNull(ports, "ports");
        this.compactions = requireNonNull(compactions, "compactions");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        RunState run = RunState.of(contribution);
        if (!run.changesTables()) {
            return RepeatStatus.FINISHED;
        }
        List<Drained> toApply = run.drain().toApply();
        TreeSet<PitPartition> partitions = new TreeSet<>();
        List<RunManifest.SubmissionEntry> entries = new ArrayList<>(toApply.size());
        for (Drained d : toApply) {
            Submission s = d.submission();
            partitions.add(new PitPartition(s.businessUnit(), s.requestDate()));
            entries.add(new RunManifest.SubmissionEntry(s.id().toString(), s.businessUnit().code(), s.acceptedAt(), s.rowCount()));
        }
        run.manifest(run.journal().open(new RunManifest(run.runId().value(), ManifestState.PENDING, run.lease().fencingToken(),
                run.startedAt(), null, entries, partitions.stream().map(RunManifest.PartitionEntry::of).toList(), List.of(),
                null, run.recovery().carriedRunIds(), null)));
        ports.faults().at(FaultPoint.AFTER_MANIFEST_PENDING);

        PartitionFiles.Totals totals = new PartitionFiles.Totals();
        Progress progress = new Progress(run, ports.properties().progressInterval(),
                () -> totals.rows() + " rows written in " + totals.fileCount() + " files");
        // One task per partition, on up to writers() threads: each partition's files are its own, so they can be
        // written side by side. None of them is part of the table before the commit step, whatever order they end in.
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
            List<Drained> inPartition = toApply.subList(from, to);
            String folder = compactions.folderForWrite(partition);
            tasks.add(() -> writePartition(run, partition, folder, inPartition, totals, progress));
            from = to;
        }
        Threads.run("write", writers(), tasks);
        List<RunManifest.FileEntry> files = totals.files();
        long rows = files.stream().mapToLong(RunManifest.FileEntry::rows).sum();
        run.written(new RunState.Written(files, rows, totals.bytes()));
        StepCounts.record(contribution, toApply.size(), rows, 0);
        log.info("{} {}: wrote {} rows in {} files ({} bytes)", run.command().label(), run.runId(), rows, files.size(),
                totals.bytes());
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

    private void writePartition(RunState run, PitPartition partition, String folder, List<Drained> submissions,
                                PartitionFiles.Totals totals, Progress progress) {
        // Sort the changes (one object per package version), not the rows: a backlog of millions of rows
        // then costs one small object per change plus the ids already held by the submissions.
        List<ChangeRef> changes = new ArrayList<>();
        for (Drained d : submissions) {
            Submission s = d.submission();
            String id = s.id().toString();
            for (PackageChange change : s.changes()) {
                changes.add(new ChangeRef(change.packageName().value(), id, s.submittedBy(), s.acceptedAt().toEpochMilli(), change));
            }
        }
        changes.sort(Comparator.comparing(ChangeRef::packageName).thenComparing(ChangeRef::submissionId));
        // Late data for a compacted day goes to the folder the table reads that partition from (resolved by the caller).
        try (PartitionFiles files = new PartitionFiles(ports, run, partition, folder, totals, progress)) {
            int from = 0;
            while (from < changes.size()) {
                int to = from + 1;
                while (to < changes.size() && changes.get(to).packageName().equals(changes.get(from).packageName())) {
                    to++;
                }
                writePackage(changes.subList(from, to), files);
                from = to;
            }
            files.commitCurrent();
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
