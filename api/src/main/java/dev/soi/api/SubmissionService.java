package dev.soi.api;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.api.idempotency.IdempotencyEntry;
import dev.soi.api.idempotency.IdempotencyStore;
import dev.soi.api.web.ApiProblem;
import dev.soi.api.web.ProblemType;
import dev.soi.api.web.Responses.PackageAccepted;
import dev.soi.api.web.Responses.SubmissionAccepted;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.QueueException;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.SubmissionQueue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts submissions: assigns the id and time, honours {@code Idempotency-Key}, enqueues one message per
 * submission. Either the message is on the queue and the caller gets 202, or the caller gets a problem
 * and nothing of the request remains (no key binding, no claim-check payload).
 */
public final class SubmissionService {
    public static final String MDC_SUBMISSION_ID = "submission_id";
    private static final Logger log = LoggerFactory.getLogger(SubmissionService.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SubmissionQueue queue;
    private final ObjectStore objectStore;
    private final SubmissionMessages messages;
    private final IdempotencyStore keys;
    private final ApiProperties properties;
    private final Clock clock;
    private final RandomGenerator random;
    private final ApiMetrics metrics;

    public SubmissionService(SubmissionQueue queue, ObjectStore objectStore, IdempotencyStore keys, ApiProperties properties,
                             Clock clock, RandomGenerator random, ApiMetrics metrics) {
        this.queue = requireNonNull(queue, "queue");
        this.objectStore = requireNonNull(objectStore, "object store");
        this.messages = new SubmissionMessages(objectStore);
        this.keys = requireNonNull(keys, "idempotency store");
        this.properties = requireNonNull(properties, "properties");
        this.clock = requireNonNull(clock, "clock");
        this.random = requireNonNull(random, "random");
        this.metrics = requireNonNull(metrics, "metrics");
    }

    public Clock clock() {
        return clock;
    }

    /** A 202 answer: its JSON body exactly as first sent, and the status URL for the Location header. */
    public record Accepted(String submissionId, byte[] body, String location, boolean replay) {}

    /**
     * @param idempotencyKey the client's key, or null
     * @throws ApiProblem 422 when the key was used for a different request, 409 while another request
     *                    with the key is in flight, 503 when the queue (or key store) failed
     */
    public Accepted submit(BusinessUnit unit, String submittedBy, List<PackageChange> changes, String idempotencyKey) {
        // One instant for both: the status query derives request_date from the id's timestamp.
        Instant now = clock.instant();
        SubmissionId id = SubmissionId.generate(now, random);
        Submission submission = new Submission(id, now, submittedBy, unit, changes);
        String location = statusPath(unit, id);
        SubmissionAccepted response = new SubmissionAccepted(id.toString(), submission.acceptedAt().toString(), unit.code(),
                submission.changes().stream()
                        .map(c -> new PackageAccepted(c.packageName().value(), c.referenceIds().size(), c.isDeletion()))
                        .toList(),
                location);
        byte[] body = JSON.writeValueAsBytes(response);
        if (idempotencyKey == null) {
            enqueue(submission);
            return new Accepted(id.toString(), body, location, false);
        }
        IdempotencyEntry entry = new IdempotencyEntry(fingerprint(unit, changes), id.toString(), IdempotencyEntry.State.PENDING,
                new String(body, StandardCharsets.UTF_8), location,
                now.plus(properties.idempotency().ttl()), now.plus(properties.idempotency().abandonAfter()));
        long waitUntil = System.nanoTime() + properties.idempotency().inProgressWait().toNanos();
        while (true) {
            Optional<IdempotencyEntry> holder = claim(unit, idempotencyKey, entry);
            if (holder.isEmpty()) {
                try {
                    enqueue(submission);
                } catch (ApiProblem problem) {
                    forgetQuietly(unit, idempotencyKey, entry);
                    throw problem;
                }
                completeQuietly(unit, idempotencyKey, entry);
                return new Accepted(id.toString(), body, location, false);
            }
            IdempotencyEntry existing = holder.get();
            if (!existing.fingerprint().equals(entry.fingerprint())) {
                throw new ApiProblem(ProblemType.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key was first used for submission "
                        + existing.submissionId() + " with a different request; use a new key for a new request");
            }
            if (existing.isCompleted()) {
                metrics.replayed();
                return new Accepted(existing.submissionId(), existing.response().getBytes(StandardCharsets.UTF_8), existing.location(), true);
            }
            if (System.nanoTime() - waitUntil >= 0) {
                throw new ApiProblem(ProblemType.IDEMPOTENCY_KEY_IN_PROGRESS, "the first request with this Idempotency-Key (submission "
                        + existing.submissionId() + ") has not finished; retry later", null,
                        Map.of("Retry-After", Long.toString(properties.retryAfter().toSeconds())));
            }
            pause();
        }
    }

    public static String statusPath(BusinessUnit unit, SubmissionId id) {
        return "/api/v1/security-of-interest/" + unit.code() + "/submissions/" + id;
    }

    private void enqueue(Submission submission) {
        MDC.put(MDC_SUBMISSION_ID, submission.id().toString());
        QueueMessage message;
        try {
            message = messages.toMessage(submission, queue.maxMessageBytes());
        } catch (ObjectStoreException e) {
            log.warn("claim-check payload for submission {} could not be stored: {}", submission.id(), e.getMessage());
            throw unavailable("the claim-check payload could not be stored");
        }
        try {
            queue.enqueue(List.of(message));
        } catch (QueueException e) {
            log.warn("submission {} could not be enqueued: {}", submission.id(), e.getMessage());
            deletePayloadQuietly(submission);
            throw unavailable("the submission queue refused the message");
        }
        metrics.accepted(submission.changes().stream().mapToLong(c -> c.referenceIds().size()).sum());
    }

    private Optional<IdempotencyEntry> claim(BusinessUnit unit, String key, IdempotencyEntry entry) {
        try {
            return keys.claim(unit, key, entry, clock.instant());
        } catch (ObjectStoreException e) {
            log.warn("idempotency key store failed: {}", e.getMessage());
            throw unavailable("the idempotency key store is unavailable");
        }
    }

    private void completeQuietly(BusinessUnit unit, String key, IdempotencyEntry entry) {
        try {
            keys.complete(unit, key, entry);
        } catch (RuntimeException e) {
            // The message is on the queue, so the answer is 202 regardless. A replay waits for the pending
            // entry until abandon-after, then would create a second submission with the same content.
            log.warn("idempotency key for submission {} stays pending: {}", entry.submissionId(), e.getMessage());
        }
    }

    private void forgetQuietly(BusinessUnit unit, String key, IdempotencyEntry entry) {
        try {
            keys.forget(unit, key, entry);
        } catch (RuntimeException e) {
            log.warn("idempotency key for failed submission {} could not be released; it frees itself after abandon-after: {}",
                    entry.submissionId(), e.getMessage());
        }
    }

    private void deletePayloadQuietly(Submission submission) {
        try {
            objectStore.delete(List.of(StorageLayout.payloadKey(submission.id())));
        } catch (RuntimeException e) {
            log.warn("orphan claim-check payload for submission {} left behind: {}", submission.id(), e.getMessage());
        }
    }

    private ApiProblem unavailable(String why) {
        return new ApiProblem(ProblemType.QUEUE_UNAVAILABLE, why + "; nothing was accepted, retry later", null,
                Map.of("Retry-After", Long.toString(properties.retryAfter().toSeconds())));
    }

    /** Same meaning, same fingerprint: package order, id order and duplicates do not matter; the unit does. */
    static String fingerprint(BusinessUnit unit, List<PackageChange> changes) {
        String canonical = unit.code() + "\n" + changes.stream()
                .sorted(Comparator.comparing(PackageChange::packageName))
                .map(c -> c.packageName().value() + "=" + c.referenceIds().stream().map(String::valueOf).collect(Collectors.joining(",")))
                .collect(Collectors.joining("\n"));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiProblem(ProblemType.IDEMPOTENCY_KEY_IN_PROGRESS, "interrupted while waiting for the first request with this key");
        }
    }
}
