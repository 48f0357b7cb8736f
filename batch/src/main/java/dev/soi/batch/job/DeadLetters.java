package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Steps {@code dlq-list} and {@code dlq-redrive}: the dead-letter queue, seen and replayed. Both receive every
 * dead letter (hidden meanwhile, so none is counted twice) and make the ones they keep visible again at the end.
 * A redrive sends each chosen message back to the submission queue, without its dead-letter attributes, before it
 * deletes it from the dead-letter queue: a crash in between sends it twice, which the run's dedupe absorbs, and
 * never loses it. Takes no lease: the queue is at-least-once anyway. Read count: dead letters seen; write count:
 * redriven.
 */
public final class DeadLetters implements Tasklet {
    /** The job parameter naming the submissions to redrive, comma-separated, or {@link #ALL}. */
    public static final String SUBMISSIONS = "dlq.submissions";
    public static final String ALL = "*";
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final BatchPorts ports;
    private final boolean redrive;

    private DeadLetters(BatchPorts ports, boolean redrive) {
        this.ports = requireNonNull(ports, "ports");
        this.redrive = redrive;
    }

    public static DeadLetters list(BatchPorts ports) {
        return new DeadLetters(ports, false);
    }

    public static DeadLetters redrive(BatchPorts ports) {
        return new DeadLetters(ports, true);
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        RunState run = RunState.of(contribution);
        SubmissionQueue dlq = ports.queue().deadLetterQueue();
        List<ReceivedMessage> held = receiveAll(dlq);
        List<ReceivedMessage> chosen = new ArrayList<>();
        Set<String> wanted = redrive ? wanted(contribution) : Set.of();
        try {
            for (ReceivedMessage message : held) {
                String id = message.attributes().get(dev.soi.core.message.SubmissionMessages.ATTR_SUBMISSION_ID);
                if (redrive && (wanted.contains(ALL) || wanted.contains(id))) {
                    chosen.add(message);
                }
            }
            for (int from = 0; from < chosen.size(); from += 10) {
                List<ReceivedMessage> batch = chosen.subList(from, Math.min(chosen.size(), from + 10));
                ports.queue().enqueue(batch.stream().map(DeadLetters::asSubmission).toList());
                dlq.delete(batch);
                forgetRecords(batch);
            }
        } finally {
            Set<String> sent = new java.util.HashSet<>();
            chosen.forEach(m -> sent.add(m.messageId()));
            List<ReceivedMessage> kept = held.stream().filter(m -> !sent.contains(m.messageId())).toList();
            dlq.changeVisibility(kept, Duration.ZERO);
        }
        List<DeadLetter> letters = held.stream().map(DeadLetter::of).toList();
        List<DeadLetter> redriven = chosen.stream().map(DeadLetter::of).toList();
        Set<String> notFound = new LinkedHashSet<>(wanted);
        notFound.remove(ALL);
        redriven.forEach(d -> notFound.remove(d.submissionId()));
        run.deadLetters(new RunState.DeadLetterResult(letters, redriven, List.copyOf(notFound)));
        StepCounts.record(contribution, letters.size(), redriven.size(), 0);
        if (redrive) {
            log.info("dlq-redrive: {} of {} dead letters sent back to the submission queue; not found: {}", redriven.size(),
                    letters.size(), notFound);
        }
        return RepeatStatus.FINISHED;
    }

    private List<ReceivedMessage> receiveAll(SubmissionQueue dlq) {
        List<ReceivedMessage> held = new ArrayList<>();
        Map<String, ReceivedMessage> seen = new HashMap<>();
        // Hidden for the visibility timeout while this step runs; short polls until an empty answer.
        while (held.size() < ports.properties().maxMessages()) {
            List<ReceivedMessage> batch = dlq.receive(10, ports.properties().visibilityTimeout(), ports.properties().receiveWait());
            if (batch.isEmpty()) {
                break;
            }
            for (ReceivedMessage message : batch) {
                if (seen.putIfAbsent(message.messageId(), message) == null) {
                    held.add(message);
                }
            }
        }
        return held;
    }

    private static Set<String> wanted(StepContribution contribution) {
        String ids = contribution.getStepExecution().getJobParameters().getString(SUBMISSIONS);
        Set<String> wanted = new LinkedHashSet<>();
        if (ids != null) {
            for (String id : ids.split(",")) {
                if (!id.isBlank()) {
                    wanted.add(id.trim());
                }
            }
        }
        return wanted;
    }

    private static QueueMessage asSubmission(ReceivedMessage letter) {
        Map<String, String> attributes = new HashMap<>(letter.attributes());
        attributes.remove(SubmissionQueue.DLQ_REASON_ATTRIBUTE);
        attributes.remove(SubmissionQueue.DLQ_SOURCE_ATTRIBUTE);
        return new QueueMessage(letter.body(), attributes);
    }

    private void forgetRecords(List<ReceivedMessage> batch) {
        List<String> keys = new ArrayList<>();
        for (ReceivedMessage message : batch) {
            String id = message.attributes().get(dev.soi.core.message.SubmissionMessages.ATTR_SUBMISSION_ID);
            if (id != null) {
                try {
                    keys.add(StorageLayout.deadLetterKey(SubmissionId.parse(id)));
                } catch (IllegalArgumentException e) {
                    // Not a submission id this API issues: there is no record to forget.
                }
            }
        }
        if (!keys.isEmpty()) {
            ports.store().delete(keys);
        }
    }
}
