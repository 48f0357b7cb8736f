package dev.soi.batch.compaction;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.Command;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.run.HeldLease;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.UnitsOfWork;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.LeaseLostException;
import dev.soi.core.port.ObjectSummary;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code compact-partitions}: rewrites the partitions the compaction index has due, oldest day first, inside the
 * engine. A partition is eligible when its day is at or before the cut-off (the last day that closed a grace period
 * ago, or {@code --through}) and its folder holds more files than ⌈bytes / target file size⌉. For each: the engine's
 * count and checksum of the partition; PENDING; one statement that writes the new files ({@code athena/compact_partition},
 * a bucketed CTAS: no row passes through the batch); the engine's count and checksum of the new files, which must be
 * the same; VERIFIED; the partition pointed at the new folder; SWAPPED, DONE. The old folder goes a grace period later
 * ({@link FinishCompactions}).
 *
 * <p>One unit of work a partition, each started only if the invocation has time for it; the partitions left stay due
 * for the next run. How many partitions, and whether a failed one fails the step, is the job's to say: {@code compact}
 * has no bound, retries partitions set aside, and stops at a failure; the scheduled run compacts a few after its own
 * work, skips those set aside, and undoes and reports a failed one, not fatal, since the run's data is already
 * committed. A partition undone twice in a row is set aside ({@link Compactions}). Read count: rows of the partitions
 * compacted; write count: partitions compacted.
 */
public final class CompactPartitions implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(CompactPartitions.class);
    /** Athena writes at most 100 partition-bucket combinations in one CTAS (see docs/commit-protocol.md). */
    static final int MAX_FILES = 100;

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
        boolean retrySetAside = run.command() == Command.COMPACT;
        CompactionIndex.Queue queue = compactions.index().queue();
        TreeSet<PitPartition> setAside = new TreeSet<>(queue.setAside());
        List<PitPartition> candidates = new ArrayList<>(queue.due());
        if (retrySetAside) {
            candidates.addAll(queue.setAside());
        }
        candidates = candidates.stream().filter(p -> !p.requestDate().isAfter(through)).distinct().sorted(CompactionIndex.OLDEST_FIRST).toList();
        // A unit is a partition looked at; one found to need nothing does not count towards the limit, so under a limit
        // the number of units is not known in advance.
        UnitsOfWork units = new UnitsOfWork(ports, run, "compact-partitions", "partitions", limit >= candidates.size() ? candidates.size() : 0,
                ports.properties().compaction().partitionEstimate());
        Compacted totals = Compacted.NONE;
        long rowsRead = 0;
        int reached = 0;
        for (PitPartition partition : candidates) {
            if (totals.partitions() + totals.failed() >= limit || !units.timeForNext()) {
                break;
            }
            reached++;
            try {
                Optional<Result> result = compactIfEligible(partition, retrySetAside, setAside);
                if (result.isPresent()) {
                    rowsRead += result.get().rows();
                    totals = totals.plus(result.get().filesBefore(), result.get().files(), result.get().bytesBefore(), result.get().bytes());
                    setAside.remove(partition);
                }
            } catch (LeaseLostException e) {
                throw e;
            } catch (RuntimeException e) {
                log.warn("{}: compaction of {} failed and is undone; a later run tries again: {}", run, partition.path(), e.toString());
                try {
                    Optional<CompactionJournal.Entry> entry = compactions.settle(partition, compactions.journal().read(partition));
                    if (entry.isPresent() && entry.get().record().failures() >= Compactions.SET_ASIDE_AFTER) {
                        setAside.add(partition);
                    }
                } catch (RuntimeException undo) {
                    e.addSuppressed(undo);
                }
                if (stopAtFailure) {
                    throw e;
                }
                totals = totals.failure();
            }
            units.done(FinishCompactions.label(partition));
        }
        totals = totals.ended(setAside.size(), candidates.size() - reached, units.stoppedAtDeadline());
        compacted.set(totals);
        StepCounts.record(contribution, rowsRead, totals.partitions(), 0);
        return RepeatStatus.FINISHED;
    }

    private record Result(long rows, int filesBefore, long bytesBefore, int files, long bytes) {}

    /**
     * Compacts {@code partition} if it is eligible. Empty when there was nothing to do: it already has as few files as its
     * size needs (no longer due), it is set aside (a scheduled run; added to {@code setAside}), its old folder is still
     * kept, or the table does not read it yet.
     */
    private Optional<Result> compactIfEligible(PitPartition partition, boolean retrySetAside, Set<PitPartition> setAside) {
        CompactionIndex index = compactions.index();
        Optional<CompactionJournal.Entry> entry = compactions.settle(partition, compactions.journal().read(partition));
        if (!retrySetAside && entry.isPresent() && entry.get().record().failures() >= Compactions.SET_ASIDE_AFTER) {
            index.setAside(partition); // its undo did not get to write the marker (a crash, a write that never landed)
            setAside.add(partition);
            return Optional.empty();
        }
        if (entry.isPresent() && entry.get().record().retired() != null) {
            return Optional.empty(); // its last compaction's old folder is still in its grace period
        }
        String folder = CompactionJournal.locationOf(partition, entry);
        List<ObjectSummary> files = filesIn(folder);
        long target = ports.properties().targetFileBytes();
        if (!eligible(files, target)) {
            index.clearDue(partition);
            return Optional.empty();
        }
        Optional<Result> result = compact(partition, entry, files);
        result.ifPresent(r -> index.clearDue(partition));
        return result;
    }

    /** Compacts one partition; empty when the table reads no row of it yet. */
    private Optional<Result> compact(PitPartition partition, Optional<CompactionJournal.Entry> previous, List<ObjectSummary> files) {
        lease.renew();
        List<Object> before = ports.engine().query(ports.statements().partitionChecksum(partition)).rows().get(0);
        long rows = ((Number) before.get(0)).longValue();
        if (rows == 0) {
            // Files but no rows: a commit whose partition a later run registers. Nothing to compact yet.
            log.info("{}: {} holds {} files but is not registered yet; left for a later run", run, partition.path(), files.size());
            return Optional.empty();
        }
        String folder = StorageLayout.compactedPartitionPrefix(partition, run.runId());
        long bytesBefore = bytes(files);
        long target = ports.properties().targetFileBytes();
        int fileCount = (int) Math.min(MAX_FILES, Math.max(1, (bytesBefore + target - 1) / target));
        compactions.index().markActive(partition);
        CompactionJournal.Entry pending = compactions.journal().open(partition, previous, run.runId(), folder, files.size(), bytesBefore);
        String table = StorageLayout.compactionTable(run.runId());
        ports.engine().execute(ports.statements().compactPartition(table, partition, folder, fileCount));
        ports.faults().at(FaultPoint.AFTER_COMPACTION_WRITE);

        List<Object> after = ports.engine().query(ports.statements().compactionChecksum(table)).rows().get(0);
        ports.engine().execute(ports.statements().dropStaging(table));
        if (!before.equals(after)) {
            throw new IllegalStateException("compaction of " + partition.path() + " does not hold the partition's rows: the table reads "
                    + before + " (rows, checksum), the new folder " + after);
        }
        List<ObjectSummary> written = filesIn(folder);
        CompactionJournal.Entry verified = compactions.journal().verified(pending, rows, String.valueOf(after.get(1)), written.size(),
                bytes(written));
        ports.faults().at(FaultPoint.AFTER_COMPACTION_VERIFY);

        lease.check();
        ports.engine().execute(ports.statements().setPartitionLocation(partition, folder));
        ports.faults().at(FaultPoint.AFTER_COMPACTION_SWAP);
        compactions.journal().done(compactions.journal().swapped(verified));
        log.info("{}: compacted {} from {} files ({} bytes) to {} ({} bytes), {} rows", run, partition.path(), files.size(),
                bytesBefore, written.size(), bytes(written), rows);
        return Optional.of(new Result(rows, files.size(), bytesBefore, written.size(), bytes(written)));
    }

    /** The data files directly in {@code folder} (a folder never holds another). */
    private List<ObjectSummary> filesIn(String folder) {
        return ports.store().list(folder).stream()
                .filter(o -> StorageLayout.partitionOf(o.key()).isPresent() && o.key().lastIndexOf('/') == folder.length() - 1)
                .toList();
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
