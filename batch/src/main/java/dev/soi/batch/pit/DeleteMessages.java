package dev.soi.batch.pit;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.ingest.Delivery;
import dev.soi.batch.ingest.Drained;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.run.HeldMessages;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.Threads;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.port.ReceivedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code delete-messages}: right after the commit, deletes the messages of the submissions the run committed and
 * the ones it only set aside (duplicates, submissions an earlier run committed), then their claim-check payloads. A
 * crash before or during it means redelivery, which the next run's dedupe absorbs against the committed manifest. A run
 * that received only submissions already committed reaches it straight from the drain, with nothing to commit.
 * Write count: messages deleted.
 */
public final class DeleteMessages implements Tasklet {
    private static final int DELETE_BATCH = 10;

    private final BatchPorts ports;
    private final HeldMessages held;
    private final WriteOnce<Drained> drained;

    public DeleteMessages(BatchPorts ports, HeldMessages held, WriteOnce<Drained> drained) {
        this.ports = requireNonNull(ports, "ports");
        this.held = requireNonNull(held, "held messages");
        this.drained = requireNonNull(drained, "drained");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        List<Delivery> done = new ArrayList<>(drained.get().toApply());
        done.addAll(drained.get().toDelete());
        ports.faults().at(FaultPoint.BEFORE_DELETE);
        // Batches of 10 on as many threads as the drain used: one at a time, the round trips dominated the step. A
        // batch that fails fails the step; the others are gone, and redelivery of the rest is absorbed by the dedupe.
        List<Runnable> batches = new ArrayList<>();
        for (int from = 0; from < done.size(); from += DELETE_BATCH) {
            List<ReceivedMessage> batch = done.subList(from, Math.min(done.size(), from + DELETE_BATCH)).stream()
                    .map(Delivery::message).toList();
            batches.add(() -> {
                ports.queue().delete(batch);
                held.released(batch);
                ports.faults().at(FaultPoint.DURING_DELETE);
            });
        }
        Threads.run("delete", ports.properties().receivers(), batches);
        Set<String> payloads = new TreeSet<>();
        for (Delivery d : done) {
            if (d.payloadKey() != null) {
                payloads.add(d.payloadKey());
            }
        }
        if (!payloads.isEmpty()) {
            ports.store().delete(payloads);
        }
        StepCounts.record(contribution, done.size(), done.size(), 0);
        return RepeatStatus.FINISHED;
    }
}
