package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.manifest.ManifestJournal;
import dev.soi.batch.manifest.ManifestState;
import dev.soi.core.domain.RunId;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * The start and end of every command's job. Before it: the execution's {@link RunState}, from the job
 * parameters. After it: the lease is released; a run that failed before its commit is rolled back first (its
 * files deleted, ABORTED). An {@link Error} is a crash: nothing is cleaned up and the lease is kept, exactly
 * as if the process had died there, so the crash tests see what a dead Lambda leaves behind.
 */
public final class RunLifecycle implements JobExecutionListener {
    public static final String RUN_ID = "run.id";
    public static final String FULL = "run.full";
    /** Job parameter of {@code compact --through DATE}: the last request date to compact (ISO), absent for the scheduled cut-off. */
    public static final String THROUGH = "compact.through";
    private static final Logger log = LoggerFactory.getLogger(RunLifecycle.class);

    private final BatchPorts ports;
    private final RollBack rollBack;

    public RunLifecycle(BatchPorts ports, RollBack rollBack) {
        this.ports = requireNonNull(ports, "ports");
        this.rollBack = requireNonNull(rollBack, "roll back");
    }

    @Override
    public void beforeJob(JobExecution execution) {
        Command command = Command.of(execution.getJobInstance().getJobName());
        RunId runId = new RunId(execution.getJobParameters().getString(RUN_ID));
        boolean full = Boolean.parseBoolean(execution.getJobParameters().getString(FULL));
        RunState state = new RunState(command, runId, ports.clock().instant(), full, new ManifestJournal(ports.store(), ports.clock()));
        String through = execution.getJobParameters().getString(THROUGH);
        if (through != null && !through.isEmpty()) {
            state.compactThrough(java.time.LocalDate.parse(through));
        }
        execution.getExecutionContext().put(RunState.KEY, state);
    }

    @Override
    public void afterJob(JobExecution execution) {
        RunState run = RunState.of(execution);
        if (run.heartbeat() != null) {
            run.heartbeat().close();
        }
        if (crash(execution).isPresent() || run.lease() == null) {
            return;
        }
        List<Throwable> failures = execution.getAllFailureExceptions();
        if (execution.getStatus() == BatchStatus.FAILED) {
            try {
                // Whatever this run still holds is the next run's at once, not after the visibility timeout.
                run.held().releaseAll(ports.queue());
            } catch (RuntimeException e) {
                log.warn("{} {}: held messages not released; they reappear after the visibility timeout: {}",
                        run.command().label(), run.runId(), e.toString());
            }
        }
        if (execution.getStatus() == BatchStatus.FAILED && run.manifest() != null && run.manifest().state() == ManifestState.PENDING) {
            try {
                rollBack.pending(run, run.manifest());
            } catch (RuntimeException e) {
                log.warn("{} {}: rolling back after the failure failed too; the next run rolls it back: {}",
                        run.command().label(), run.runId(), e.toString());
                failures.stream().findFirst().ifPresent(f -> f.addSuppressed(e));
            }
        }
        if (execution.getStatus() == BatchStatus.COMPLETED && run.command() == Command.RUN && run.drain().reachedEnd()) {
            recordLatestCurrent(run);
        }
        try {
            ports.lease().release(run.lease());
        } catch (RuntimeException e) {
            log.warn("{} {}: lease not released; it expires by itself: {}", run.command().label(), run.runId(), e.toString());
            failures.stream().findFirst().ifPresent(f -> f.addSuppressed(e));
        }
    }

    /**
     * The run drained the queue to its end and applied all of it (or found nothing): the latest table now holds every
     * submission accepted before the run started, whether or not this run published a version. Staleness is measured
     * from here, so a quiet stack is not stale. Best effort: without the record, staleness only reads older.
     */
    private void recordLatestCurrent(RunState run) {
        String version = run.rebuilt() != null ? run.rebuilt().version() : run.recovery().lastPublished();
        try {
            run.journal().recordLatestCurrent(new ManifestJournal.LatestCurrent(run.runId().value(), version, run.startedAt()));
        } catch (RuntimeException e) {
            log.warn("{} {}: the latest-current record was not written; staleness reads from the last publication: {}",
                    run.command().label(), run.runId(), e.toString());
        }
    }

    /** The {@link Error} that ended the execution, if one did: a crash, real or simulated. */
    public static Optional<Error> crash(JobExecution execution) {
        return execution.getAllFailureExceptions().stream().filter(Error.class::isInstance).map(Error.class::cast).findFirst();
    }
}
