package dev.soi.batch.ops;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.UnitsOfWork;
import dev.soi.batch.run.WriteOnce;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code dlq-redrive}: sends chosen dead letters back to the submission queue, as many as the invocation has time
 * for ({@link DeadLetters#redrive}). Read count: dead letters seen; write count: sent.
 */
public final class DlqRedrive implements Tasklet {
    /** Ten receives of ten, ten sends and ten deletes: a few seconds at SQS's latency. */
    private static final Duration UNIT_ESTIMATE = Duration.ofSeconds(10);

    private final BatchPorts ports;
    private final RunContext run;
    private final DeadLetters deadLetters;
    private final Set<String> wanted;
    private final WriteOnce<Redriven> redriven;

    /**
     * @param submissionIds the submissions to send back, or {@link DeadLetters#ALL}
     * @param redriven      where it leaves what it saw and sent
     */
    public DlqRedrive(BatchPorts ports, RunContext run, DeadLetters deadLetters, List<String> submissionIds, WriteOnce<Redriven> redriven) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.deadLetters = requireNonNull(deadLetters, "dead letters");
        this.wanted = new LinkedHashSet<>();
        submissionIds.stream().flatMap(ids -> java.util.Arrays.stream(ids.split(","))).map(String::trim).filter(id -> !id.isEmpty())
                .forEach(wanted::add);
        this.redriven = requireNonNull(redriven, "redriven");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        Redriven result = deadLetters.redrive(wanted, new UnitsOfWork(ports, run, "dlq-redrive", "batches of up to "
                + DeadLetters.MESSAGES_PER_UNIT + " dead letters", 0, UNIT_ESTIMATE));
        redriven.set(result);
        StepCounts.record(contribution, result.seen().size(), result.sent().size(), 0);
        return RepeatStatus.FINISHED;
    }
}
