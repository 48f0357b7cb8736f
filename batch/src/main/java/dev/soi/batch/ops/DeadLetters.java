package dev.soi.batch.ops;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.UnitsOfWork;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter queue, seen and replayed; {@code dlq-list} and the {@code dlq-redrive} step both come here. Both
 * receive every dead letter (hidden meanwhile, so none is counted twice) and make the ones they keep visible again at
 * the end. A redrive sends each chosen message back to the submission queue, without its dead-letter attributes, before
 * it deletes it from the dead-letter queue: a crash in between sends it twice, which the run's dedupe absorbs, and never
 * loses it. Takes no lease: the queue is at-least-once anyway.
 */
public final class DeadLetters {
    /** Redrive every dead letter, not only those of the submission ids given. */
    public static final String ALL = "*";
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final BatchPorts ports;

    public DeadLetters(BatchPorts ports) {
        this.ports = requireNonNull(ports, "ports");
    }

    /** Every dead letter with its reason; the queue keeps them all. */
    public List<DeadLetter> list() {
        SubmissionQueue dlq = ports.queue().deadLetterQueue();
        List<ReceivedMessage> held = receiveAll(dlq);
        try {
            return held.stream().map(DeadLetter::of).toList();
        } finally {
            dlq.changeVisibility(held, Duration.ZERO);
        }
    }

    /**
     * Sends the dead letters of the {@code wanted} submission ids (or {@link #ALL}) back to the submission queue, as it
     * receives them: one unit of work up to {@value #MESSAGES_PER_UNIT} dead letters, each started only if the
     * invocation has time for it. The queue itself records where a redrive stopped: what it did not send is still there
     * (the others it held are made visible again), so {@code dlq-redrive} again continues.
     */
    public Redriven redrive(Set<String> wanted, UnitsOfWork units) {
        SubmissionQueue dlq = ports.queue().deadLetterQueue();
        Map<String, ReceivedMessage> seen = new LinkedHashMap<>();
        List<ReceivedMessage> keptBack = new ArrayList<>();
        List<ReceivedMessage> sent = new ArrayList<>();
        boolean empty = false;
        try {
            while (!empty && seen.size() < ports.properties().maxMessages() && units.timeForNext()) {
                int before = sent.size();
                for (int receive = 0; receive < MESSAGES_PER_UNIT / 10 && !empty; receive++) {
                    List<ReceivedMessage> batch = dlq.receive(10, ports.properties().visibilityTimeout(), ports.properties().receiveWait());
                    empty = batch.isEmpty();
                    List<ReceivedMessage> chosen = new ArrayList<>();
                    for (ReceivedMessage message : batch) {
                        if (seen.putIfAbsent(message.messageId(), message) != null) {
                            continue;
                        }
                        String id = message.attributes().get(SubmissionMessages.ATTR_SUBMISSION_ID);
                        (wanted.contains(ALL) || wanted.contains(id) ? chosen : keptBack).add(message);
                    }
                    if (!chosen.isEmpty()) {
                        // Send before delete: a crash in between sends one twice, which the run's dedupe absorbs.
                        ports.queue().enqueue(chosen.stream().map(DeadLetters::asSubmission).toList());
                        dlq.delete(chosen);
                        forgetRecords(chosen);
                        sent.addAll(chosen);
                    }
                }
                units.done((sent.size() - before) + " of " + seen.size() + " dead letters seen sent back");
            }
        } finally {
            dlq.changeVisibility(keptBack, Duration.ZERO);
        }
        List<DeadLetter> redriven = sent.stream().map(DeadLetter::of).toList();
        Set<String> notFound = new LinkedHashSet<>(wanted);
        notFound.remove(ALL);
        redriven.forEach(d -> notFound.remove(d.submissionId()));
        boolean stopped = units.stoppedAtDeadline();
        log.info("dlq-redrive: {} of {} dead letters seen sent back to the submission queue{}; not found: {}", redriven.size(),
                seen.size(), stopped ? " before the invocation's deadline; dlq-redrive again sends the rest" : "", notFound);
        return new Redriven(seen.values().stream().map(DeadLetter::of).toList(), redriven, stopped ? List.of() : List.copyOf(notFound), stopped);
    }

    /** A unit of redrive work: ten receives of ten, each sent back and deleted. */
    static final int MESSAGES_PER_UNIT = 100;

    /** Every message of the dead-letter queue, hidden for the visibility timeout; long polls until one answers empty. */
    private List<ReceivedMessage> receiveAll(SubmissionQueue dlq) {
        List<ReceivedMessage> held = new ArrayList<>();
        Map<String, ReceivedMessage> seen = new HashMap<>();
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

    private static QueueMessage asSubmission(ReceivedMessage letter) {
        Map<String, String> attributes = new HashMap<>(letter.attributes());
        attributes.remove(SubmissionQueue.DLQ_REASON_ATTRIBUTE);
        attributes.remove(SubmissionQueue.DLQ_SOURCE_ATTRIBUTE);
        return new QueueMessage(letter.body(), attributes);
    }

    private void forgetRecords(List<ReceivedMessage> batch) {
        List<String> keys = new ArrayList<>();
        for (ReceivedMessage message : batch) {
            String id = message.attributes().get(SubmissionMessages.ATTR_SUBMISSION_ID);
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
