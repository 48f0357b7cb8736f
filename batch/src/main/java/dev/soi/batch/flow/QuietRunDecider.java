package dev.soi.batch.flow;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.ingest.Drained;
import dev.soi.batch.journal.Recovery;
import dev.soi.batch.run.WriteOnce;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.flow.FlowExecutionStatus;
import org.springframework.batch.core.job.flow.JobExecutionDecider;
import org.springframework.batch.core.step.StepExecution;

/**
 * After the drain of {@code run}: whether the tables change ({@link #CHANGES}: new submissions, or commits of crashed
 * runs to finish), whether only messages of submissions already in the PIT table came back ({@link #REDELIVERIES}:
 * they are deleted, nothing else changes), or nothing came at all ({@link #QUIET}). A quiet run writes nothing,
 * issues no SQL and goes on to the compaction steps and the event.
 */
public final class QuietRunDecider implements JobExecutionDecider {
    public static final FlowExecutionStatus CHANGES = new FlowExecutionStatus("CHANGES");
    public static final FlowExecutionStatus REDELIVERIES = new FlowExecutionStatus("REDELIVERIES");
    public static final FlowExecutionStatus QUIET = new FlowExecutionStatus("QUIET");

    private final WriteOnce<Recovery> recovery;
    private final WriteOnce<Drained> drained;

    public QuietRunDecider(WriteOnce<Recovery> recovery, WriteOnce<Drained> drained) {
        this.recovery = requireNonNull(recovery, "recovery");
        this.drained = requireNonNull(drained, "drained");
    }

    @Override
    public FlowExecutionStatus decide(JobExecution jobExecution, StepExecution stepExecution) {
        if (!drained.get().toApply().isEmpty() || !recovery.get().carried().isEmpty()) {
            return CHANGES;
        }
        return drained.get().toDelete().isEmpty() ? QUIET : REDELIVERIES;
    }
}
