package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.job.RunState.Drained;
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
 * Step {@code delete-messages}: deletes the messages of committed submissions (and the duplicates), then their
 * claim-check payloads. Runs only after the commit, while the other branch of the split registers partitions and
 * rebuilds the latest table: a crash before or during it means redelivery, which the drain's dedupe absorbs
 * against the committed manifest. Write count: messages deleted.
 */
public final class DeleteMessages implements Tasklet {
    private static final int DELETE_BATCH = 10;

    private final BatchPorts ports;

    public DeleteMessages(BatchPorts ports) {
        this.ports = requireNonNull(ports, "ports");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        RunState run = RunState.of(contribution);
        List<Drained> done = new ArrayList<>(run.drain().toApply());
        done.addAll(run.drain().toDelete());
        if (done.isEmpty()) {
            return RepeatStatus.FINISHED;
        }
        ports.faults().at(FaultPoint.BEFORE_DELETE);
        // Batches of 10 on as many threads as the drain used: one at a time, the round trips dominated the
        // step. A batch that fails fails the step; the others are gone, and redelivery of the rest is absorbed
        // by the dedupe against the committed manifest.
        List<Runnable> batches = new ArrayList<>();
        for (int from = 0; from < done.size(); from += DELETE_BATCH) {
            List<ReceivedMessage> batch = done.subList(from, Math.min(done.size(), from + DELETE_BATCH)).stream()
                    .map(Drained::message).toList();
            batches.add(() -> {
                ports.queue().delete(batch);
                run.held().released(batch);
                ports.faults().at(FaultPoint.DURING_DELETE);
            });
        }
        Threads.run("delete", ports.properties().receivers(), batches);
        Set<String> payloads = new TreeSet<>();
        for (Drained d : done) {
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
