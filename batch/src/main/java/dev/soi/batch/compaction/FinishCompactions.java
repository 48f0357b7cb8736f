package dev.soi.batch.compaction;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.UnitsOfWork;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.port.LeaseLostException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code finish-compactions}: for each partition the compaction index names active (a compaction under way, or
 * an old folder waiting out its grace period), finishes or undoes the compaction a crash left, and deletes the old
 * folder once its grace period passed. It lists the index only, never the PIT folder (the first time, when the index
 * does not exist yet, it builds it from one listing). One unit of work a partition, each started only if the
 * invocation has time for it; what is left stays in the index for the next run. A partition that fails is logged and
 * left for the next run, unless {@code stopAtFailure} ({@code compact}). Read count: partitions looked at; write count:
 * old folders deleted.
 */
public final class FinishCompactions implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(FinishCompactions.class);
    /** A partition's unit here is a record read and, at most, one folder listed and deleted. */
    private static final Duration UNIT_ESTIMATE = Duration.ofSeconds(10);

    private final BatchPorts ports;
    private final RunContext run;
    private final Compactions compactions;
    private final boolean stopAtFailure;
    private final WriteOnce<Finished> finished;

    /** @param finished where it leaves how many old folders it deleted, and whether it stopped at the deadline */
    public FinishCompactions(BatchPorts ports, RunContext run, Compactions compactions, boolean stopAtFailure,
                             WriteOnce<Finished> finished) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.compactions = requireNonNull(compactions, "compactions");
        this.stopAtFailure = stopAtFailure;
        this.finished = requireNonNull(finished, "finished");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        CompactionIndex index = compactions.index();
        CompactionIndex.Active active = index.active();
        if (!active.built()) {
            log.info("{}: building the compaction index from one listing of the PIT folder (once)", run);
            index.build(CompactionIndex.folders(ports.store()));
            active = index.active();
        }
        UnitsOfWork units = new UnitsOfWork(ports, run, "finish-compactions", "partitions", active.partitions().size(), UNIT_ESTIMATE);
        long looked = 0;
        int deleted = 0;
        for (PitPartition partition : active.partitions()) {
            if (!units.timeForNext()) {
                break;
            }
            looked++;
            try {
                Optional<CompactionJournal.Entry> entry = compactions.settle(partition, compactions.journal().read(partition));
                if (compactions.retireIfDue(partition, entry)) {
                    deleted++;
                } else if (entry.isEmpty() || (!entry.get().state().inFlight() && entry.get().record().retired() == null)) {
                    index.clearActive(partition); // a marker a crash left after its record was finished
                }
            } catch (LeaseLostException e) {
                throw e;
            } catch (RuntimeException e) {
                if (stopAtFailure) {
                    throw e;
                }
                log.warn("{}: finishing the compaction of {} failed; a later run tries again: {}", run, partition.path(), e.toString());
            }
            units.done(label(partition));
        }
        finished.set(new Finished(deleted, units.stoppedAtDeadline()));
        StepCounts.record(contribution, looked, deleted, 0);
        return RepeatStatus.FINISHED;
    }

    static String label(PitPartition partition) {
        return partition.businessUnit().code() + "/" + partition.requestDate();
    }
}
