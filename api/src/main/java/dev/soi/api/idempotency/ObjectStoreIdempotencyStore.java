package dev.soi.api.idempotency;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.StoredObject;
import dev.soi.core.write.OwnWrites;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keys as objects {@code _idempotency/<unit>/<sha256(key)>.json} in the data store. The first claim is a
 * {@code putIfAbsent} ({@code If-None-Match: *} on S3, an atomic create locally); an expired or abandoned
 * entry is taken over with {@code putIfMatch} on its etag, so two processes racing for a stale key still
 * get one winner. The key is hashed because clients choose it: the object key stays short and safe. Every write carries
 * a write token ({@link OwnWrites}, the writer named after the submission it binds), so a claim whose answer was lost
 * (the store applied it, then the call failed or its retry answered 412) is recognised as this request's own and the
 * submission is enqueued, not answered as "in progress" by its own ghost.
 */
public final class ObjectStoreIdempotencyStore implements IdempotencyStore {
    public static final String PREFIX = "_idempotency/";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ObjectStore store;

    public ObjectStoreIdempotencyStore(ObjectStore store) {
        this.store = requireNonNull(store, "object store");
    }

    public static String objectKey(BusinessUnit unit, String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return PREFIX + unit.code() + "/" + HexFormat.of().formatHex(hash) + ".json";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public Optional<IdempotencyEntry> claim(BusinessUnit unit, String key, IdempotencyEntry entry, Instant now) {
        String objectKey = objectKey(unit, key);
        byte[] content = JSON.writeValueAsBytes(entry);
        // Each pass either binds the key, finds a live holder, or saw the holder change under it; a
        // change means another claimant won a race, so the next pass reads its entry.
        OwnWrites writes = writes(entry);
        for (int attempt = 0; attempt < 10; attempt++) {
            OwnWrites.Outcome created = writes.create(objectKey, content);
            if (created.ours()) {
                return Optional.empty();
            }
            Optional<StoredObject> current = Optional.ofNullable(created.found());
            if (current.isEmpty()) {
                continue;
            }
            IdempotencyEntry existing = read(current.get());
            if (existing != null && existing.isLive(now)) {
                return Optional.of(existing);
            }
            if (writes.replace(objectKey, content, current.get().etag()).ours()) {
                return Optional.empty();
            }
        }
        throw new IllegalStateException("idempotency key object " + objectKey + " kept changing during 10 claim attempts");
    }

    @Override
    public void complete(BusinessUnit unit, String key, IdempotencyEntry entry) {
        String objectKey = objectKey(unit, key);
        store.get(objectKey).ifPresent(current -> {
            IdempotencyEntry existing = read(current);
            if (existing != null && existing.submissionId().equals(entry.submissionId())) {
                writes(entry).replace(objectKey, JSON.writeValueAsBytes(entry.completed()), current.etag());
            }
        });
    }

    @Override
    public void forget(BusinessUnit unit, String key, IdempotencyEntry entry) {
        String objectKey = objectKey(unit, key);
        store.get(objectKey).ifPresent(current -> {
            IdempotencyEntry existing = read(current);
            if (existing == null || existing.submissionId().equals(entry.submissionId())) {
                store.delete(List.of(objectKey));
            }
        });
    }

    private OwnWrites writes(IdempotencyEntry entry) {
        return new OwnWrites(store, "api/" + entry.submissionId());
    }

    /** An unreadable object (older format, partial manual edit) counts as absent rather than blocking the key forever. */
    private static IdempotencyEntry read(StoredObject object) {
        try {
            return JSON.readValue(object.content(), IdempotencyEntry.class);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }
}
