package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.BatchProperties;
import dev.soi.batch.job.RunState.Drained;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.message.InvalidMessageException;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.ReceivedMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
 * Duplicates within the run, and submissions an earlier run committed, are set aside only for deletion.
 * Read count: messages received; write count: submissions to apply; filter count: messages only to delete.
 */
public final class Drain implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(Drain.class);

    private final BatchPorts ports;
    private final JsonMapper json = JsonMapper.builder().build();

    public Drain(BatchPorts ports) {
        this.ports = requireNonNull(ports, "ports");
    }

    /** Counters the receiver threads share. */
    private static final class Counters {
        final AtomicLong received = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong deadLettered = new AtomicLong();
        /** A receiver stopped on the budget (or an interrupt), or a message is left for redelivery: work is left. */
        final AtomicBoolean leftWork = new AtomicBoolean();
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        RunState run = RunState.of(contribution);
        BatchProperties properties = ports.properties();
        Instant deadline = ports.clock().instant().plusSeconds(properties.maxSeconds());
        ConcurrentLinkedQueue<Drained> drained = new ConcurrentLinkedQueue<>();
        Counters counters = new Counters();
        Progress progress = new Progress(run, properties.progressInterval(), () -> counters.received.get()
                + " messages drained (" + counters.bytes.get() + " bytes), " + counters.deadLettered.get() + " dead-lettered");
        List<Runnable> receivers = new ArrayList<>();
        for (int i = 0; i < properties.receivers(); i++) {
            receivers.add(() -> receiveUntilEmpty(run, deadline, drained, counters, progress));
        }
        Threads.run("drain", properties.receivers(), receivers);
        RunState.Drain result = dedupe(run, new ArrayList<>(drained), counters);
        run.drain(result);
        StepCounts.record(contribution, result.received(), result.toApply().size(), result.toDelete().size());
        log.info("{} {}: drained {} messages ({} bytes): {} to apply, {} duplicates, {} already committed, {} dead-lettered",
                run.command().label(), run.runId(), result.received(), result.receivedBytes(), result.toApply().size(),
                result.duplicates(), result.alreadyCommitted(), result.deadLettered());
        return RepeatStatus.FINISHED;
    }

    private void receiveUntilEmpty(RunState run, Instant deadline, ConcurrentLinkedQueue<Drained> drained, Counters counters,
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
                take(run, batch, receivedAt, drained, counters);
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

    private void take(RunState run, List<ReceivedMessage> batch, long receivedAt, ConcurrentLinkedQueue<Drained> drained,
                      Counters counters) {
        run.held().received(batch, ports.properties().visibilityTimeout(), receivedAt);
        ports.faults().at(FaultPoint.DURING_DRAIN);
        for (ReceivedMessage message : batch) {
            counters.received.incrementAndGet();
            counters.bytes.addAndGet(utf8Length(message.body()));
            try {
                // A claim-check payload counts toward the byte budget too: it is held in memory like a body.
                SubmissionMessages.Read read = ports.messages().read(message.body());
                counters.bytes.addAndGet(read.payloadBytes());
                Submission submission = read.submission();
                // The API accepted it for a unit then in the registry: a later registry change must not drop it.
                drained.add(new Drained(withoutBody(message), submission,
                        ports.messages().payloadKey(message.body()).orElse(null)));
            } catch (InvalidMessageException e) {
                deadLetter(run, message, e.getMessage(), counters);
            } catch (ObjectStoreException e) {
                // The claim-check store failed: the message reappears after the visibility timeout.
                counters.leftWork.set(true);
                log.warn("{}: cannot read the payload of message {} now; it will be redelivered: {}", run.runId(),
                        message.messageId(), e.getMessage());
            }
        }
    }

    /**
     * Leaves a record the status endpoint reads ({@code DEAD_LETTERED} with the reason), when the message names
     * its submission. Written before the move: a record without a dead letter only misreports a status until a
     * redrive, a dead letter without a record would hide why.
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
        var record = json.createObjectNode().put("submission_id", submissionId.toString()).put("reason", reason)
                .put("dead_lettered_at", ports.clock().instant().toString());
        ports.store().put(StorageLayout.deadLetterKey(submissionId), json.writeValueAsBytes(record));
    }

    /** Receipt and identity only: delete and visibility calls need no body. */
    private static ReceivedMessage withoutBody(ReceivedMessage message) {
        return new ReceivedMessage(message.messageId(), message.receiptHandle(), "", message.attributes(), message.receiveCount());
    }

    private void deadLetter(RunState run, ReceivedMessage message, String reason, Counters counters) {
        log.warn("{}: message {} to the dead-letter queue: {}", run.runId(), message.messageId(), reason);
        recordDeadLetter(message, reason);
        ports.queue().deadLetter(message, reason);
        run.held().released(List.of(message));
        counters.deadLettered.incrementAndGet();
    }

    private RunState.Drain dedupe(RunState run, List<Drained> drained, Counters counters) {
        Map<String, Drained> unique = new HashMap<>();
        List<Drained> toDelete = new ArrayList<>();
        long duplicates = 0;
        Instant oldest = null;
        for (Drained d : drained) {
            if (unique.putIfAbsent(d.submission().id().toString(), d) != null) {
                toDelete.add(d);
                duplicates++;
            } else if (oldest == null || d.submission().acceptedAt().isBefore(oldest)) {
                oldest = d.submission().acceptedAt();
            }
        }
        Set<String> committed = oldest == null ? Set.of() : committedSubmissionIds(run, oldest);
        List<Drained> toApply = new ArrayList<>();
        long alreadyCommitted = 0;
        for (Drained d : unique.values()) {
            if (committed.contains(d.submission().id().toString())) {
                toDelete.add(d);
                alreadyCommitted++;
            } else {
                toApply.add(d);
            }
        }
        Set<String> outside = new java.util.TreeSet<>();
        toApply.forEach(d -> {
            if (!ports.properties().knowsUnit(d.submission().businessUnit())) {
                outside.add(d.submission().businessUnit().code());
            }
        });
        if (!outside.isEmpty()) {
            log.warn("{} {}: applying submissions of units no longer in the registry {}: the API accepted them. If the units "
                    + "are still in use, add them back to soi.business-units (SOI_BUSINESS_UNITS)", run.command().label(),
                    run.runId(), outside);
        }
        toApply.sort(Comparator.comparing((Drained d) -> d.submission().businessUnit())
                .thenComparing(d -> d.submission().requestDate())
                .thenComparing(d -> d.submission().id()));
        return new RunState.Drain(toApply, toDelete, counters.received.get(), counters.bytes.get(), duplicates,
                alreadyCommitted, counters.deadLettered.get(), List.copyOf(outside), !counters.leftWork.get());
    }

    /**
     * Ids of submissions committed by runs that started at or after {@code oldestAcceptedAt}: no earlier run
     * can have seen them. Bounded by the manifest lookback (SQS keeps messages at most 14 days).
     */
    private Set<String> committedSubmissionIds(RunState run, Instant oldestAcceptedAt) {
        LocalDate today = ports.clock().instant().atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate lookback = today.minusDays(ports.properties().manifestLookback().toDays());
        LocalDate from = oldestAcceptedAt.atOffset(ZoneOffset.UTC).toLocalDate();
        if (from.isBefore(lookback)) {
            from = lookback;
        }
        // Run ids carry whole seconds; a run that started in the same second may hold the submission.
        String notBefore = StorageLayout.runStampOf(RunId.generate(oldestAcceptedAt.minusSeconds(1), () -> 0L));
        String ownKey = StorageLayout.manifestKey(run.runId());
        Set<String> ids = new HashSet<>();
        for (String key : run.journal().keysBetween(from, today)) {
            if (key.equals(ownKey) || StorageLayout.runStampOf(key).compareTo(notBefore) < 0) {
                continue;
            }
            run.journal().read(key).map(e -> e.manifest()).filter(m -> m.state().isCommitted())
                    .ifPresent(m -> m.submissions().forEach(s -> ids.add(s.submissionId())));
        }
        // The committed runs this run carries, whatever their age: recovery found them through the open-run index,
        // and their messages may still be on the queue even when the runs are older than the lookback.
        run.recovery().carried().forEach(e -> e.manifest().submissions().forEach(s -> ids.add(s.submissionId())));
        return ids;
    }

    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
