package dev.soi.batch.ingest;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.Recovery;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.run.HeldMessages;
import dev.soi.batch.run.Progress;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.Threads;
import dev.soi.batch.run.Utf8;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.message.InvalidMessageException;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.write.OwnWrites;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Step {@code drain}: receives until the queue is empty or the budget (messages, bytes, seconds) is spent, on
 * {@code receivers} threads. A receiver asks without waiting, and takes a short answer (fewer messages than asked
 * for) as the end when the queue also reports no visible message; only while the queue still reports some does it
 * long-poll ({@code receiveWait}), so SQS's sampled short receives cannot end a drain that has work left, and a
 * quiet or small run does not pay a long poll on an empty queue. A message that arrives after a receiver stopped
 * stays on the queue for the next run. A body that can never become a submission goes to the DLQ with the reason. A
 * submission of a unit no longer in the registry is applied all the same, with a warning: the API accepted it
 * (its 202 is a promise), and the registry is the API's admission rule, not a filter on accepted data.
 * Duplicates within the run, and submissions an earlier run committed, are set aside only for deletion ({@link Dedupe}).
 * Read count: messages received; write count: submissions to apply; filter count: messages only to delete.
 */
public final class Drain implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(Drain.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BatchPorts ports;
    private final RunContext run;
    private final HeldMessages held;
    private final WriteOnce<Recovery> recovery;
    private final WriteOnce<Drained> drained;

    /** @param drained where it leaves what it took */
    public Drain(BatchPorts ports, RunContext run, HeldMessages held, WriteOnce<Recovery> recovery, WriteOnce<Drained> drained) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.held = requireNonNull(held, "held messages");
        this.recovery = requireNonNull(recovery, "recovery");
        this.drained = requireNonNull(drained, "drained");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        BatchProperties properties = ports.properties();
        Instant deadline = ports.clock().instant().plusSeconds(properties.maxSeconds());
        ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
        Dedupe.Counters counters = new Dedupe.Counters();
        Progress progress = new Progress(run, properties.progressInterval(), () -> counters.received.get()
                + " messages drained (" + counters.bytes.get() + " bytes), " + counters.deadLettered.get() + " dead-lettered");
        List<Runnable> receivers = new ArrayList<>();
        for (int i = 0; i < properties.receivers(); i++) {
            receivers.add(() -> receiveUntilEmpty(deadline, deliveries, counters, progress));
        }
        Threads.run("drain", properties.receivers(), receivers);
        Drained result = new Dedupe(ports, run, recovery.get()).of(new ArrayList<>(deliveries), counters);
        drained.set(result);
        StepCounts.record(contribution, result.received(), result.toApply().size(), result.toDelete().size());
        log.info("{}: drained {} messages ({} bytes): {} to apply, {} duplicates, {} already committed, {} dead-lettered", run,
                result.received(), result.receivedBytes(), result.toApply().size(), result.duplicates(), result.alreadyCommitted(),
                result.deadLettered());
        return RepeatStatus.FINISHED;
    }

    private void receiveUntilEmpty(Instant deadline, ConcurrentLinkedQueue<Delivery> deliveries, Dedupe.Counters counters,
                                   Progress progress) {
        BatchProperties properties = ports.properties();
        Duration wait = Duration.ZERO;
        while (true) {
            long remaining = properties.maxMessages() - counters.received.get();
            if (remaining <= 0 || counters.bytes.get() >= properties.maxBytes() || !ports.clock().instant().isBefore(deadline)
                    || Thread.currentThread().isInterrupted()) {
                counters.leftWork.set(true);
                return; // budget spent, or another receiver failed (see Threads.run)
            }
            int asked = (int) Math.min(10, remaining);
            long receivedAt = System.nanoTime();
            List<ReceivedMessage> batch = ports.queue().receive(asked, properties.visibilityTimeout(), wait);
            if (!batch.isEmpty()) {
                take(batch, receivedAt, deliveries, counters);
                progress.maybeLog();
            }
            if (batch.size() == asked) {
                continue;
            }
            // A short answer. With none visible by the queue's own count, this is the end: what arrives from now on
            // is the next run's. With some visible, this receive missed them (SQS samples its servers when it does
            // not wait), so from now on this receiver long-polls. An empty long poll is the end whatever the count
            // says: it lags, and it counts messages a failed run just released.
            if ((batch.isEmpty() && !wait.isZero()) || ports.queue().approximateDepth() == 0) {
                return;
            }
            wait = properties.receiveWait();
        }
    }

    private void take(List<ReceivedMessage> batch, long receivedAt, ConcurrentLinkedQueue<Delivery> deliveries,
                      Dedupe.Counters counters) {
        held.received(batch, ports.properties().visibilityTimeout(), receivedAt);
        ports.faults().at(FaultPoint.DURING_DRAIN);
        for (ReceivedMessage message : batch) {
            counters.received.incrementAndGet();
            counters.bytes.addAndGet(Utf8.length(message.body()));
            try {
                // A claim-check payload counts toward the byte budget too: it is held in memory like a body.
                SubmissionMessages.Read read = ports.messages().read(message.body());
                counters.bytes.addAndGet(read.payloadBytes());
                Submission submission = read.submission();
                // The API accepted it for a unit then in the registry: a later registry change must not drop it.
                deliveries.add(new Delivery(withoutBody(message), submission,
                        ports.messages().payloadKey(message.body()).orElse(null)));
            } catch (InvalidMessageException e) {
                deadLetter(message, e.getMessage(), counters);
            } catch (ObjectStoreException e) {
                // The claim-check store failed: the message reappears after the visibility timeout.
                counters.leftWork.set(true);
                log.warn("{}: cannot read the payload of message {} now; it will be redelivered: {}", run,
                        message.messageId(), e.getMessage());
            }
        }
    }

    /**
     * Leaves a record the status endpoint reads ({@code DEAD_LETTERED} with the reason), when the message names
     * its submission. Written before the move: a record without a dead letter only misreports a status until a
     * redrive, a dead letter without a record would hide why. A write whose answer was lost is recognised as done.
     */
    private void recordDeadLetter(ReceivedMessage message, String reason) {
        String id = message.attributes().get(SubmissionMessages.ATTR_SUBMISSION_ID);
        if (id == null) {
            return;
        }
        SubmissionId submissionId;
        try {
            submissionId = SubmissionId.parse(id);
        } catch (IllegalArgumentException e) {
            return;
        }
        var record = JSON.createObjectNode().put("submission_id", submissionId.toString()).put("reason", reason)
                .put("dead_lettered_at", ports.clock().instant().toString());
        new OwnWrites(ports.store(), run.runId().value()).put(StorageLayout.deadLetterKey(submissionId), JSON.writeValueAsBytes(record));
    }

    /** Receipt and identity only: delete and visibility calls need no body. */
    private static ReceivedMessage withoutBody(ReceivedMessage message) {
        return new ReceivedMessage(message.messageId(), message.receiptHandle(), "", message.attributes(), message.receiveCount());
    }

    private void deadLetter(ReceivedMessage message, String reason, Dedupe.Counters counters) {
        log.warn("{}: message {} to the dead-letter queue: {}", run, message.messageId(), reason);
        recordDeadLetter(message, reason);
        ports.queue().deadLetter(message, reason);
        held.released(List.of(message));
        counters.deadLettered.incrementAndGet();
    }
}
