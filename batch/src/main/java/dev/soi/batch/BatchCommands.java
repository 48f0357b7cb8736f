package dev.soi.batch;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.flow.MaterializeJobs;
import dev.soi.batch.flow.RunLifecycle;
import dev.soi.batch.journal.ManifestJournal;
import dev.soi.core.domain.RunId;
import dev.soi.batch.ops.DeadLetter;
import dev.soi.batch.ops.DeadLetters;
import dev.soi.batch.ops.LastRuns;
import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.ops.StackStatus;
import dev.soi.batch.ops.Status;
import dev.soi.batch.ops.Summaries;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.Command;
import dev.soi.batch.run.ProgressListener;
import dev.soi.batch.run.RunContext;
import java.time.LocalDate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.core.task.SyncTaskExecutor;

/**
 * The commands, returning what each did. The one way a command runs: the batch jar's main, the Lambda handler, the
 * local stack and every test come here. Those that change data run as their Spring Batch job ({@link MaterializeJobs});
 * {@code status} and {@code dlq-list} only read, and plain services answer them. Blocking: returns when the command ended.
 *
 * <p>Each job execution gets a job repository of its own. The repository is resourceless (it keeps one execution in
 * memory, is meant for one thread, and keeps no state between steps, which pass theirs by constructor), which is right
 * here: a command's restart state lives in the S3 run manifests, not in Spring Batch's metadata, and a Lambda has
 * nowhere to keep that metadata anyway. So two commands in one process run side by side like two processes, and the
 * run lease alone decides which may change anything. Thread-safe.
 *
 * <p>An {@link Error} thrown inside a step (a crash, or a test's simulated one) is rethrown here after the job
 * ended, with no cleanup done: see {@link RunLifecycle}.
 */
public final class BatchCommands {
    private static final Logger log = LoggerFactory.getLogger(BatchCommands.class);

    private final BatchPorts ports;
    private final MaterializeJobs jobs;

    public BatchCommands(BatchPorts ports) {
        this.ports = requireNonNull(ports, "ports");
        this.jobs = new MaterializeJobs(ports);
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
        return rebuildLatest(full, ProgressListener.NONE);
    }

    /** As {@link #rebuildLatest(boolean)}, telling {@code progress} of each unit a full rebuild builds. */
    public RunSummary rebuildLatest(boolean full, ProgressListener progress) {
        return launch(Command.REBUILD_LATEST, new RunContext.Parameters(full, null, List.of()), progress).summaryOrCrash();
    }

    public RunSummary bootstrap() {
        return bootstrap(ProgressListener.NONE);
    }

    /** As {@link #bootstrap()}, telling {@code progress} of each statement of partitions it registers over existing data. */
    public RunSummary bootstrap(ProgressListener progress) {
        return launch(Command.BOOTSTRAP, RunContext.Parameters.NONE, progress).summaryOrCrash();
    }

    /** Lists the dead-letter queue; the summary's {@code deadLetters} holds them, and the queue keeps them. */
    public RunSummary dlqList() {
        RunContext run = context(Command.DLQ_LIST, RunContext.Parameters.NONE);
        try {
            List<DeadLetter> letters = new DeadLetters(ports).list();
            return logged(Summaries.answered(run, Summaries.deadLetters(letters.size()), letters));
        } catch (RuntimeException e) {
            return logged(Summaries.failedAnswer(run, e));
        }
    }

    /** Sends the dead letters of these submissions back to the submission queue ({@code all}: every one). */
    public RunSummary dlqRedrive(boolean all, List<String> submissionIds) {
        return launch(Command.DLQ_REDRIVE, false, all ? List.of(DeadLetters.ALL) : submissionIds).summaryOrCrash();
    }

    /** Reads the stack's status: lease, queues, last runs, latest version, oldest unapplied submission. */
    public StackStatus status() {
        try {
            return new Status(ports).read();
        } catch (RuntimeException e) {
            throw new IllegalStateException("status could not be read: " + e, e);
        }
    }

    /**
     * Compacts every eligible partition up to {@code through} (inclusive; today is allowed), or, with null, up to the
     * last closed day, as the scheduled run does but without its per-run bound.
     */
    public RunSummary compact(LocalDate through) {
        return compact(through, ProgressListener.NONE);
    }

    /** As {@link #compact(LocalDate)}, telling {@code progress} of each partition as it goes. */
    public RunSummary compact(LocalDate through, ProgressListener progress) {
        return launch(Command.COMPACT, new RunContext.Parameters(false, through, List.of()), progress).summaryOrCrash();
    }

    /** Runs a command by its CLI name: {@code run}, {@code rebuild-latest}, {@code bootstrap}, {@code compact}, {@code dlq-list}, {@code status}. */
    public RunSummary execute(String command, boolean full) {
        return execute(command, full, null);
    }

    /** As {@link #execute(String, boolean)}, with {@code compact}'s last day ({@code --through}; null: the last closed day). */
    public RunSummary execute(String command, boolean full, LocalDate through) {
        return switch (Command.of(command)) {
            case DLQ_LIST -> dlqList();
            case STATUS -> statusSummary();
            default -> launch(Command.of(command), full, through).summaryOrCrash();
        };
    }

    /** {@code status} as a summary: its sentence, for the batch jar's one line. */
    private RunSummary statusSummary() {
        RunContext run = context(Command.STATUS, RunContext.Parameters.NONE);
        return logged(Summaries.answered(run, status().sentence(), List.of()));
    }

    public Launched launch(Command command, boolean full) {
        return launch(command, new RunContext.Parameters(full, null, List.of()));
    }

    /** As {@link #launch(Command, boolean)}, with {@code dlq-redrive}'s submission ids. */
    public Launched launch(Command command, boolean full, List<String> submissionIds) {
        return launch(command, new RunContext.Parameters(full, null, submissionIds));
    }

    /** As {@link #launch(Command, boolean)}, with {@code compact --through}'s last day (null: the scheduled cut-off). */
    public Launched launch(Command command, boolean full, LocalDate through) {
        return launch(command, new RunContext.Parameters(full, through, List.of()));
    }

    /** Runs {@code command}'s job and returns its execution with the summary, a crash included. */
    public Launched launch(Command command, RunContext.Parameters parameters) {
        return launch(command, parameters, ProgressListener.NONE);
    }

    /** As {@link #launch(Command, RunContext.Parameters)}, {@code progress} hearing of each unit of work its long steps do. */
    public Launched launch(Command command, RunContext.Parameters parameters, ProgressListener progress) {
        RunContext run = context(command, parameters, progress);
        ResourcelessJobRepository repository = new ResourcelessJobRepository();
        TaskExecutorJobOperator operator = new TaskExecutorJobOperator();
        operator.setJobRepository(repository);
        operator.setJobRegistry(new MapJobRegistry());
        operator.setTaskExecutor(new SyncTaskExecutor());
        MaterializeJobs.Prepared job = jobs.prepare(run, repository);
        JobExecution execution;
        try {
            operator.afterPropertiesSet();
            execution = operator.start(job.job(), new JobParametersBuilder().addString("run.id", run.runId().value())
                    .toJobParameters());
        } catch (Exception e) {
            throw new IllegalStateException("the " + command.label() + " job could not be started: " + e.getMessage(), e);
        }
        RunSummary summary = logged(Summaries.of(execution, job.results(), ports.clock().instant()));
        if ((command == Command.RUN || command == Command.REBUILD_LATEST) && RunLifecycle.crash(execution).isEmpty()) {
            try {
                LastRuns.record(ports, summary, ports.clock().instant());
            } catch (RuntimeException e) {
                log.warn("the last-run record for status was not written: {}", e.toString());
            }
        }
        return new Launched(execution, summary);
    }

    private RunContext context(Command command, RunContext.Parameters parameters) {
        return context(command, parameters, ProgressListener.NONE);
    }

    private RunContext context(Command command, RunContext.Parameters parameters, ProgressListener progress) {
        RunId runId = ports.runIds().get();
        return new RunContext(command, runId, ports.clock().instant(), System.nanoTime(), parameters,
                new ManifestJournal(ports.store(), ports.clock(), runId.value()), progress);
    }

    private static RunSummary logged(RunSummary summary) {
        log.info(summary.line());
        return summary;
    }
}
