package dev.soi.batch.readmodel;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * Step {@code record-dead-letters}: gives the status endpoint the truth about messages SQS moved to the dead-letter queue
 * itself, after {@code maxReceiveCount} receives (every run that received them failed or crashed, or something else
 * received them). The batch records a reason in {@code _dead_letters/{id}.json} when it dead-letters a message; SQS leaves
 * none, so such a submission would read QUEUED for ever. This step, in every run, asks the dead-letter queue for its
 * depth (one call; nothing more when it is empty), else looks at up to {@value #MAX_MESSAGES} of its messages, records a
 * reason for each one SQS moved (it carries no {@link SubmissionQueue#DLQ_REASON_ATTRIBUTE}) that has no record yet, and
 * makes them all visible again at once. The record is written only if absent, so the batch's own reason wins. A redrive
 * deletes it, as it deletes the batch's. Write count: records written.
 */
public final class RecordDeadLetters implements Tasklet {
    /** Bounds one run's look at a large dead-letter queue; SQS samples, so later runs see the others. */
    static final int MAX_MESSAGES = 1000;
    /** Long enough for the look itself; a run that dies in it leaves the messages hidden no longer than this. */
    private static final Duration HIDDEN = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(RecordDeadLetters.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BatchPorts ports;
    private final RunContext run;
    private final WriteOnce<Integer> recorded;

    /** @param recorded where it leaves how many records it wrote */
    public RecordDeadLetters(BatchPorts ports, RunContext run, WriteOnce<Integer> recorded) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.recorded = requireNonNull(recorded, "recorded");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        SubmissionQueue dlq = ports.queue().deadLetterQueue();
        if (dlq.approximateDepth() == 0) {
            recorded.set(0);
            return RepeatStatus.FINISHED;
        }
        List<ReceivedMessage> held = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int written = 0;
        try {
            while (held.size() < MAX_MESSAGES) {
                List<ReceivedMessage> batch = dlq.receive(10, HIDDEN, ports.properties().receiveWait());
                if (batch.isEmpty()) {
                    break;
                }
                batch.stream().filter(m -> seen.add(m.messageId())).forEach(held::add);
            }
            for (ReceivedMessage message : held) {
                if (recordIfMovedBySqs(message)) {
                    written++;
                }
            }
        } finally {
            dlq.changeVisibility(held, Duration.ZERO);
        }
        if (written > 0) {
            log.warn("{}: {} messages that SQS moved to the dead-letter queue after too many receives now read DEAD_LETTERED; "
                    + "see dlq list, fix the cause, then dlq redrive", run, written);
        }
        recorded.set(written);
        StepCounts.record(contribution, held.size(), written, 0);
        return RepeatStatus.FINISHED;
    }

    private boolean recordIfMovedBySqs(ReceivedMessage message) {
        if (message.attributes().containsKey(SubmissionQueue.DLQ_REASON_ATTRIBUTE)) {
            return false;
        }
        SubmissionId id;
        try {
            id = SubmissionId.parse(message.attributes().getOrDefault(SubmissionMessages.ATTR_SUBMISSION_ID, ""));
        } catch (IllegalArgumentException e) {
            return false;
        }
        String key = StorageLayout.deadLetterKey(id);
        if (ports.store().get(key).isPresent()) {
            return false;
        }
        String reason = "SQS moved it to the dead-letter queue after too many receives (the queue's maxReceiveCount): the "
                + "runs that received it failed or stopped before applying it; see the batch's logs, then send it back with dlq redrive";
        byte[] record = JSON.writeValueAsBytes(JSON.createObjectNode().put("submission_id", id.toString()).put("reason", reason)
                .put("dead_lettered_at", ports.clock().instant().toString()));
        return ports.store().putIfAbsent(key, record) == dev.soi.core.port.WriteOutcome.WRITTEN;
    }
}
