package dev.soi.batch;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.RunContext.Command;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;

/**
 * The three commands, each run as its Spring Batch job, returning the run's summary. Used by the batch
 * jar's main, the Lambda handler and the local stack. Blocking: returns when the job ended.
 *
 * <p>Thread-safe. One command runs at a time per process, because the resourceless job repository is not
 * thread-safe; a command called while another runs returns a LEASE_HELD summary at once, just as a command
 * in another process does when the run lease is taken.
 */
public final class BatchCommands {
    private final JobOperator operator;
    private final MaterializeRun run;
    private final RunContexts contexts;
    private final Job materialize;
    private final Job rebuildLatest;
    private final Job bootstrap;
    private final ReentrantLock oneAtATime = new ReentrantLock();

    public BatchCommands(JobOperator operator, MaterializeRun run, RunContexts contexts, Job materialize, Job rebuildLatest,
                         Job bootstrap) {
        this.operator = requireNonNull(operator, "job operator");
        this.run = requireNonNull(run, "materialize run");
        this.contexts = requireNonNull(contexts, "run contexts");
        this.materialize = requireNonNull(materialize, "materialize job");
        this.rebuildLatest = requireNonNull(rebuildLatest, "rebuild-latest job");
        this.bootstrap = requireNonNull(bootstrap, "bootstrap job");
    }

    public RunSummary run() {
        return launch(materialize, run.newContext(Command.RUN, false));
    }

    public RunSummary rebuildLatest(boolean full) {
        return launch(rebuildLatest, run.newContext(Command.REBUILD_LATEST, full));
    }

    public RunSummary bootstrap() {
        return launch(bootstrap, run.newContext(Command.BOOTSTRAP, false));
    }

    /** Runs a command by its CLI name: {@code run}, {@code rebuild-latest} or {@code bootstrap}. */
    public RunSummary execute(String command, boolean full) {
        return switch (command) {
            case "run" -> run();
            case "rebuild-latest" -> rebuildLatest(full);
            case "bootstrap" -> bootstrap();
            default -> throw new IllegalArgumentException("unknown command " + command + "; use run, rebuild-latest [--full] or bootstrap");
        };
    }

    private RunSummary launch(Job job, RunContext context) {
        if (!oneAtATime.tryLock()) {
            context.leaseHeldByOther = true;
            return run.finish(context);
        }
        try {
            return launchAlone(job, context);
        } finally {
            oneAtATime.unlock();
        }
    }

    private RunSummary launchAlone(Job job, RunContext context) {
        String token = contexts.register(context);
        try {
            JobExecution execution = operator.start(job, new JobParametersBuilder()
                    .addString(RunContexts.TOKEN_PARAMETER, token)
                    .addString("run.id", context.runId().value())
                    .toJobParameters());
            if (context.failure() == null && !execution.getAllFailureExceptions().isEmpty()) {
                // A failure outside our steps (the job infrastructure itself).
                context.failure = execution.getAllFailureExceptions().get(0);
            }
        } catch (Error crash) {
            context.failure = crash;
        } catch (Exception e) {
            if (context.failure() == null) {
                context.failure = e;
            }
        } finally {
            contexts.remove(token);
        }
        return run.finish(context);
    }
}
