package dev.soi.api.idempotency;

import dev.soi.core.domain.BusinessUnit;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembers {@code Idempotency-Key}s per business unit. Implementations are thread-safe and
 * {@link #claim} is atomic across every process sharing the store: of concurrent claims of one key,
 * exactly one succeeds. Keys are opaque client strings; stores may hash them.
 *
 * <p>Choices per mode: locally and in AWS the default is {@link ObjectStoreIdempotencyStore} (one object per
 * key written with {@code If-None-Match: *}: a directory locally, S3 in AWS, where a lifecycle rule on
 * {@code _idempotency/} deletes old keys). A DynamoDB table with a conditional {@code PutItem} and a TTL
 * attribute is the other fitting AWS choice when request rates exceed what S3 conditional writes on one
 * prefix sustain. {@link InMemoryIdempotencyStore} is for tests and single-process runs.
 */
public interface IdempotencyStore {

    /**
     * Binds {@code key} to {@code entry} unless a live entry (see {@link IdempotencyEntry#isLive}) holds it.
     *
     * @return empty if this call bound the key; otherwise the live entry that holds it
     */
    Optional<IdempotencyEntry> claim(BusinessUnit unit, String key, IdempotencyEntry entry, Instant now);

    /** Marks the caller's own pending entry completed. */
    void complete(BusinessUnit unit, String key, IdempotencyEntry entry);

    /** Removes the caller's own entry (its enqueue failed), if the key is still bound to it. */
    void forget(BusinessUnit unit, String key, IdempotencyEntry entry);
}
