package dev.soi.api.idempotency;

import static dev.soi.core.domain.Checks.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * What an {@code Idempotency-Key} is bound to: the request's fingerprint and the 202 response it got.
 * The response is fixed before the submission is enqueued (id and time are assigned first), so a
 * {@link State#PENDING} entry already holds it; it becomes {@link State#COMPLETED} once the enqueue
 * succeeded, and is removed if the enqueue failed.
 *
 * @param fingerprint  SHA-256 of the request's meaning (unit, method, packages, ids), not of its bytes
 * @param submissionId the submission the key produced
 * @param response     the 202 body, as sent
 * @param location     the 202's Location header
 * @param expiresAt    when the key may be reused for a new request
 * @param abandonAt    for a pending entry: when its owner is presumed dead and the key free again
 */
@JsonIgnoreProperties(ignoreUnknown = true) // the store's write token beside the fields
public record IdempotencyEntry(String fingerprint, String submissionId, State state, String response, String location,
                               Instant expiresAt, Instant abandonAt) {
    public enum State { PENDING, COMPLETED }

    public IdempotencyEntry {
        requireNonNull(fingerprint, "fingerprint");
        requireNonNull(submissionId, "submission id");
        requireNonNull(state, "state");
        requireNonNull(response, "response");
        requireNonNull(location, "location");
        requireNonNull(expiresAt, "expires at");
        requireNonNull(abandonAt, "abandon at");
    }

    /** Whether this entry still holds its key at {@code now}. */
    public boolean isLive(Instant now) {
        return now.isBefore(state == State.COMPLETED ? expiresAt : abandonAt);
    }

    public IdempotencyEntry completed() {
        return new IdempotencyEntry(fingerprint, submissionId, State.COMPLETED, response, location, expiresAt, abandonAt);
    }

    public boolean isCompleted() {
        return state == State.COMPLETED;
    }
}
