package dev.soi.batch.compaction;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.run.HeldLease;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.StorageLayout;
import dev.soi.parquet.PitParquetWriter;
import dev.soi.core.port.LeaseLostException;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.QueryResult;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code compact-partitions}: rewrites eligible PIT partitions, oldest first. A partition is eligible when its day is at or before the cut-off (the last day that closed a
 * grace period ago, or {@code --through}) and it holds more files than ⌈bytes / target file size⌉. For each:
 * PENDING, the engine's rows written sorted into a new folder, the engine's count and checksum compared over both
 * folders, VERIFIED, the partition pointed at the new folder, SWAPPED, DONE. The old folder goes a grace period
 * later ({@link FinishCompactions}). How many partitions, and whether a failed one fails the step, is the job's to say:
 * {@code compact} has no bound and stops at a failure; the scheduled run compacts a few after its own work, and a
 * failed partition there is undone and reported, not fatal, since the run's data is already committed. Read count:
 * rows of the partitions compacted; write count: partitions compacted.
 */
public final class CompactPartitions implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(CompactPartitions.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final HeldLease lease;
    private final Compactions compactions;
    private final int limit;
    private final boolean stopAtFailure;
    private final WriteOnce<Compacted> compacted;

    /**
     * @param limit         the most partitions to compact
     * @param stopAtFailure whether a partition that fails its check fails the step, or is undone and counted
     * @param compacted     where it leaves what it did
     */
    public CompactPartitions(BatchPorts ports, RunContext run, HeldLease lease, Compactions compactions, int limit,
                             boolean stopAtFailure, WriteOnce<Compacted> compacted) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.lease = requireNonNull(lease, "lease");
        this.compactions = requireNonNull(compactions, "compactions");
        this.limit = limit;
        this.stopAtFailure = stopAtFailure;
        this.compacted = requireNonNull(compacted, "compacted");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        LocalDate through = run.parameters().compactThrough() != null ? run.parameters().compactThrough()
                : lastClosedDay(ports.clock().instant());
        long target = ports.properties().targetFileBytes();
        Compacted totals = Compacted.NONE;
        long rowsRead = 0;
        for (Map.Entry<PitPartition, TreeMap<String, List<ObjectSummary>>> found : FinishCompactions.folders(ports).entrySet()) {
            PitPartition partition = found.getKey();
            if (totals.partitions() + totals.failed() >= limit || partition.requestDate().isAfter(through)) {
                continue;
            }
            if (!eligible(found.getValue().lastEntry().getValue(), target)) {
                continue;
            }
            Optional<CompactionJournal.Entry> entry = compactions.settle(partition, compactions.journal().read(partition));
            if (entry.isPresent() && entry.get().record().retired() != null) {
                continue; // its last compaction's old folder is still in its grace period
            }
            List<ObjectSummary> files = found.getValue().getOrDefault(CompactionJournal.locationOf(partition, entry), List.of());
            if (!eligible(files, target)) {
                continue;
            }
            try {
                Result result = compact(partition, entry, files);
                if (result == null) {
                    continue;
                }
                rowsRead += result.rows();
                totals = totals.plus(files.size(), result.files(), bytes(files), result.bytes());
            } catch (LeaseLostException e) {
                throw e;
            } catch (RuntimeException e) {
                log.warn("{}: compaction of {} failed and is undone; a later run tries again: {}", run, partition.path(), e.toString());
                try {
                    compactions.settle(partition, compactions.journal().read(partition));
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                }
                if (stopAtFailure) {
                    throw e;
                }
                totals = totals.failure();
            }
        }
        compacted.set(totals);
        StepCounts.record(contribution, rowsRead, totals.partitions(), 0);
        return RepeatStatus.FINISHED;
    }

    private record Result(long rows, int files, long bytes) {}

    /** Compacts one partition; null when the table reads no row of it yet. */
    private Result compact(PitPartition partition, Optional<CompactionJournal.Entry> previous, List<ObjectSummary> files) {
        lease.renew();
        String folder = StorageLayout.compactedPartitionPrefix(partition, run.runId());
        long bytesBefore = bytes(files);
        QueryResult rows = ports.engine().query(ports.statements().partitionRows(partition));
        if (rows.rows().isEmpty()) {
            // Files but no rows: a commit whose partition a later run registers. Nothing to compact yet.
            log.info("{}: {} holds {} files but is not registered yet; left for a later run", run, partition.path(), files.size());
            return null;
        }
        CompactionJournal.Entry pending = compactions.journal().open(partition, previous, run.runId(), folder, files.size(), bytesBefore);
        int fileCount = (int) Math.max(1, (bytesBefore + ports.properties().targetFileBytes() - 1) / ports.properties().targetFileBytes());
        List<PitParquetWriter.Result> written = write(folder, rows, fileCount);
        ports.faults().at(FaultPoint.AFTER_COMPACTION_WRITE);

        String table = StorageLayout.compactionTable(run.runId());
        ports.engine().execute(ports.statements().createCompactionTable(table, folder));
        List<Object> before = ports.engine().query(ports.statements().partitionChecksum(partition)).rows().get(0);
        List<Object> after = ports.engine().query(ports.statements().compactionChecksum(table)).rows().get(0);
        ports.engine().execute(ports.statements().dropStaging(table));
        long rowsWritten = written.stream().mapToLong(PitParquetWriter.Result::rows).sum();
        if (!before.equals(after) || ((Number) before.get(0)).longValue() != rowsWritten) {
            throw new IllegalStateException("compaction of " + partition.path() + " does not hold the partition's rows: the table reads "
                    + before + " (rows, checksum), the new folder " + after + " with " + rowsWritten + " rows written");
        }
        long bytesAfter = written.stream().mapToLong(PitParquetWriter.Result::bytes).sum();
        CompactionJournal.Entry verified = compactions.journal().verified(pending, rowsWritten, String.valueOf(after.get(1)),
                written.size(), bytesAfter);
        ports.faults().at(FaultPoint.AFTER_COMPACTION_VERIFY);

        lease.check();
        ports.engine().execute(ports.statements().setPartitionLocation(partition, folder));
        ports.faults().at(FaultPoint.AFTER_COMPACTION_SWAP);
        compactions.journal().done(compactions.journal().swapped(verified));
        log.info("{}: compacted {} from {} files ({} bytes) to {} ({} bytes), {} rows", run, partition.path(), files.size(),
                bytesBefore, written.size(), bytesAfter, rowsWritten);
        return new Result(rowsWritten, written.size(), bytesAfter);
    }

    /** The rows, already sorted by the engine, in {@code fileCount} files of consecutive rows. */
    private List<PitParquetWriter.Result> write(String folder, QueryResult rows, int fileCount) {
        int referenceId = rows.columnIndex("reference_id");
        int packageName = rows.columnIndex("package_name");
        int eventTimestamp = rows.columnIndex("event_timestamp");
        int submissionId = rows.columnIndex("submission_id");
        int submittedBy = rows.columnIndex("submitted_by");
        int ingestRunId = rows.columnIndex("ingest_run_id");
        int perFile = (int) Math.max(1, (rows.rows().size() + fileCount - 1) / fileCount);
        List<PitParquetWriter.Result> results = new ArrayList<>();
        for (int n = 0, from = 0; from < rows.rows().size(); n++, from += perFile) {
            String key = StorageLayout.pitFileKey(folder, run.runId(), n);
            try (PitParquetWriter writer = PitParquetWriter.open(ports.store().startUpload(key), key,
                    Math.min(PitParquetWriter.DEFAULT_ROW_GROUP_BYTES, ports.properties().targetFileBytes()))) {
                for (List<Object> row : rows.rows().subList(from, Math.min(rows.rows().size(), from + perFile))) {
                    Object id = row.get(referenceId);
                    writer.write(id == null ? null : ((Number) id).longValue(), (String) row.get(packageName),
                            ((Instant) row.get(eventTimestamp)).toEpochMilli(), (String) row.get(submissionId),
                            (String) row.get(submittedBy), (String) row.get(ingestRunId));
                }
                lease.check();
                results.add(writer.commit());
            }
        }
        return results;
    }

    /** More files than ⌈bytes / target⌉: a lone file below the target is left alone, or it would be rewritten forever. */
    static boolean eligible(List<ObjectSummary> files, long targetFileBytes) {
        long needed = Math.max(1, (bytes(files) + targetFileBytes - 1) / targetFileBytes);
        return files.size() > needed;
    }

    /** The last day that closed more than the grace period before {@code now}. */
    private LocalDate lastClosedDay(Instant now) {
        return now.minus(ports.properties().compaction().closedDayGrace()).atOffset(ZoneOffset.UTC).toLocalDate().minusDays(1);
    }

    private static long bytes(List<ObjectSummary> files) {
        return files.stream().mapToLong(ObjectSummary::size).sum();
    }
}
