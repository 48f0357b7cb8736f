package dev.soi.batch.job;

import dev.soi.batch.RunSummary;
import java.util.List;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/** The {@link RunSummary} of a finished job execution: its run state, its step timings and its outcome. */
public final class Summaries {
    private Summaries() {}

    public static RunSummary of(JobExecution execution) {
        RunState run = RunState.of(execution);
        List<Throwable> failures = execution.getAllFailureExceptions();
        RunSummary.Outcome outcome = execution.getStatus() == BatchStatus.FAILED || !failures.isEmpty() ? RunSummary.Outcome.FAILED
                : AcquireLease.LEASE_HELD.equals(execution.getExitStatus().getExitCode()) ? RunSummary.Outcome.LEASE_HELD
                : RunSummary.Outcome.COMPLETED;
        RunState.Drain drain = run.drain();
        return new RunSummary(run.runId().value(), run.command().label(), outcome, drain.received(), drain.toApply().size(),
                drain.duplicates(), drain.alreadyCommitted(), drain.deadLettered(), run.written().rows(),
                run.written().files().size(), run.written().bytes(), run.unitsChanged(), run.partitionsRegistered(),
                run.recovery().rolledBack(), run.recovery().carriedRunIds(),
                run.rebuilt() == null ? null : run.rebuilt().version(), run.versionsExpired(), StepTimings.finished(execution),
                run.elapsedMillis(), failures.isEmpty() ? null : failures.get(0).toString(), compaction(run));
    }

    static RunSummary.Compaction compaction(RunState run) {
        RunState.Compacted c = run.compacted();
        return new RunSummary.Compaction(c.partitions(), c.failed(), c.filesBefore(), c.filesAfter(), c.bytesBefore(), c.bytesAfter(),
                run.oldFoldersDeleted());
    }
}
