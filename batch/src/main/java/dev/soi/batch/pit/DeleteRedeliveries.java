package dev.soi.batch.pit;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.ingest.Drained;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.HeldMessages;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.WriteOnce;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code delete-redeliveries}: a run that found only messages of submissions already in the PIT table (SQS delivered
 * one again, or a redrive sent one twice) deletes them and their claim-check payloads, and changes no table: no
 * commit covers them but the earlier one that already did. Write count: messages deleted.
 */
public final class DeleteRedeliveries implements Tasklet {
    private final BatchPorts ports;
    private final HeldMessages held;
    private final WriteOnce<Drained> drained;

    public DeleteRedeliveries(BatchPorts ports, HeldMessages held, WriteOnce<Drained> drained) {
        this.ports = requireNonNull(ports, "ports");
        this.held = requireNonNull(held, "held messages");
        this.drained = requireNonNull(drained, "drained");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        DeleteMessages.delete(ports, held, drained.get().toDelete());
        StepCounts.record(contribution, drained.get().toDelete().size(), drained.get().toDelete().size(), 0);
        return RepeatStatus.FINISHED;
    }
}
