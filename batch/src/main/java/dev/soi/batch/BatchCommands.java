package dev.soi.batch;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.job.BatchPorts;
import dev.soi.batch.job.Command;
import dev.soi.batch.job.DeadLetters;
import dev.soi.batch.job.MaterializeJobs;
import dev.soi.batch.job.ReadStatus;
import dev.soi.batch.job.ResourcelessSplitRepository;
import dev.soi.batch.job.RunLifecycle;
import dev.soi.batch.job.RunState;
import dev.soi.batch.job.StackStatus;
import dev.soi.batch.job.Summaries;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.core.task.SyncTaskExecutor;

/**
 * The commands, each run as its Spring Batch job ({@link MaterializeJobs}), returning the run's summary. The
 * one way a command runs: the batch jar's main, the Lambda handler, the local stack and every test come here.
 * Blocking: returns when the job ended.
 *
 * <p>Each execution gets a job repository of its own. The repository is resourceless (it keeps one execution
 * in memory and is not thread-safe), which is right here: a command's restart state lives in the S3 run
 * manifests, not in Spring Batch's metadata, and a Lambda has nowhere to keep that metadata anyway. So two
 * commands in one process run side by side like two processes, and the run lease alone decides which may
 * change anything. Thread-safe.
 *
 * <p>An {@link Error} thrown inside a step (a crash, or a test's simulated one) is rethrown here after the job
 * ended, with no cleanup done: see {@link RunLifecycle}.
 */
public final class BatchCommands {
    private static final Logger log = LoggerFactory.getLogger(BatchCommands.class);

    private final BatchPorts ports;
    private final MaterializeJobs jobs;

    public BatchCommands(BatchPorts ports) {
        this(ports, true);
    }

    /** As {@link #BatchCommands(BatchPorts)}; {@code overlapDeletes} false runs {@code run}'s deletes in sequence (measurement only). */
    public BatchCommands(BatchPorts ports, boolean overlapDeletes) {
        this.ports = requireNonNull(ports, "ports");
        this.jobs = new MaterializeJobs(ports, overlapDeletes);
    }

    /** A finished job execution and its summary. */
    public record Launched(JobExecution execution, RunSummary summary) {
        /** The summary, unless the job ended in a crash: then the crash's {@link Error} is rethrown. */
        public RunSummary summaryOrCrash() {
            RunLifecycle.crash(execution).ifPresent(crash -> {
                throw crash;
            });
            return summary;
        }
    }

    public RunSummary run() {
        return launch(Command.RUN, false).summaryOrCrash();
    }

    public RunSummary rebuildLatest(boolean full) {
        return launch(Command.REBUILD_LATEST, full).summaryOrCrash();
    }

    public RunSummary bootstrap() {
        return launch(Command.BOOTSTRAP, false).summaryOrCrash();
    }

    /** Lists the dead-letter queue; the summary's {@code deadLetters} holds them, and the queue keeps them. */
    public RunSummary dlqList() {
        return launch(Command.DLQ_LIST, false).summaryOrCrash();
    }

    /** Sends the dead letters of these submissions back to the submission queue ({@code all}: every one). */
    public RunSummary dlqRedrive(boolean all, List<String> submissionIds) {
        return launch(Command.DLQ_REDRIVE, false, all ? List.of(DeadLetters.ALL) : submissionIds).summaryOrCrash();
    }

    /** Reads the stack's status: lease, queues, last runs, latest version, oldest unapplied submission. */
    public StackStatus status() {
        Launched launched = launch(Command.STATUS, false);
        launched.summaryOrCrash();
        StackStatus status = RunState.of(launched.execution()).status();
        if (status == null) {
            throw new IllegalStateException("status could not be read: " + launched.summary().failure());
        }
        return status;
    }

    /**
     * Compacts every eligible partition up to {@code through} (inclusive; today is allowed), or, with null, up to the
     * last closed day, as the scheduled run does but without its per-run bound.
     */
    public RunSummary compact(java.time.LocalDate through) {
        return launch(Command.COMPACT, false, through).summaryOrCrash();
    }

    /** Runs a command by its CLI name: {@code run}, {@code rebuild-latest}, {@code bootstrap}, {@code compact}, {@code dlq-list}. */
    public RunSummary execute(String command, boolean full) {
        return execute(command, full, null);
    }

    /** As {@link #execute(String, boolean)}, with {@code compact}'s last day ({@code --through}; null: the last closed day). */
    public RunSummary execute(String command, boolean full, java.time.LocalDate through) {
        return launch(Command.of(command), full, through).summaryOrCrash();
    }

    public Launched launch(Command command, boolean full) {
        return launch(command, full, List.of(), null);
    }

    /** As {@link #launch(Command, boolean)}, with {@code dlq-redrive}'s submission ids. */
    public Launched launch(Command command, boolean full, List<String> submissionIds) {
        return launch(command, full, submissionIds, null);
    }

    /** As {@link #launch(Command, boolean)}, with {@code compact --through}'s last day (null: the scheduled cut-off). */
    public Launched launch(Command command, boolean full, java.time.LocalDate through) {
        return launch(command, full, List.of(), through);
    }

    /** Runs {@code command}'s job and returns its execution with the summary, a crash included. */
    public Launched launch(Command command, boolean full, List<String> submissionIds, java.time.LocalDate through) {
        ResourcelessSplitRepository repository = new ResourcelessSplitRepository();
        TaskExecutorJobOperator operator = new TaskExecutorJobOperator();
        operator.setJobRepository(repository);
        operator.setJobRegistry(new MapJobRegistry());
        operator.setTaskExecutor(new SyncTaskExecutor());
        JobExecution execution;
        try {
            operator.afterPropertiesSet();
            execution = operator.start(jobs.job(command, repository), new JobParametersBuilder()
                    .addString(RunLifecycle.RUN_ID, ports.runIds().get().value())
                    .addString(RunLifecycle.FULL, Boolean.toString(full))
                    .addString(DeadLetters.SUBMISSIONS, String.join(",", submissionIds))
                    .addString(RunLifecycle.THROUGH, through == null ? "" : through.toString())
                    .toJobParameters());
        } catch (Exception e) {
            throw new IllegalStateException("the " + command.label() + " job could not be started: " + e.getMessage(), e);
        }
        RunSummary summary = Summaries.of(execution, ports.clock().instant());
        log.info(summary.line());
        if ((command == Command.RUN || command == Command.REBUILD_LATEST) && RunLifecycle.crash(execution).isEmpty()) {
            try {
                ReadStatus.recordLastRun(ports, summary, ports.clock().instant());
            } catch (RuntimeException e) {
                log.warn("the last-run record for status was not written: {}", e.toString());
            }
        }
        return new Launched(execution, summary);
    }
}
