package dev.soi.core.lease;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.Lease;
import dev.soi.core.port.LeaseLostException;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.StoredObject;
import dev.soi.core.write.OwnWrites;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The run lease as one object, {@code _lease}, in the data store, changed only by conditional writes
 * ({@code If-None-Match: *} to create, {@code If-Match: etag} to change). Two contenders can never both
 * win: the store lets exactly one conditional write through. The record holds the holder, a fencing
 * token, the expiry and a released flag; a release keeps the token, so tokens only grow.
 *
 * <p>Every write carries a write token ({@link OwnWrites}), so a write whose answer was lost is recognised on re-read:
 * an acquire or renewal that landed is held, whatever the store answered.
 *
 * <p>Works on S3 and on the local directory alike, since it uses only the {@link ObjectStore} port.
 * Expiry is judged by the injected clock, so hosts whose clocks drift by more than the lease's margin can
 * misjudge it; the fencing check before the swap bounds the damage. Thread-safe.
 */
public final class ObjectStoreRunLease implements RunLease {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ObjectStore store;
    private final Clock clock;

    public ObjectStoreRunLease(ObjectStore store, Clock clock) {
        this.store = requireNonNull(store, "store");
        this.clock = requireNonNull(clock, "clock");
    }

    /** @param renewedAt when the grant was written; null in records written before it was kept */
    private record Record(String holder, long token, Instant renewedAt, Instant expiresAt, boolean released) {
        static Record read(StoredObject object) {
            try {
                JsonNode node = JSON.readTree(object.content());
                return new Record(node.required("holder").asString(), node.required("fencing_token").asLong(),
                        node.hasNonNull("renewed_at") ? Instant.parse(node.get("renewed_at").asString()) : null,
                        Instant.parse(node.required("expires_at").asString()), node.path("released").asBoolean(false));
            } catch (RuntimeException e) {
                throw new IllegalStateException("the run lease " + StorageLayout.LEASE_KEY + " is damaged ("
                        + e.getMessage() + "), so no run can take it. If no run is active, delete " + StorageLayout.LEASE_KEY
                        + " at the root of the data store (the bucket prefix in AWS, SOI_HOME/data locally); the next run "
                        + "creates it anew", e);
            }
        }

        byte[] bytes() {
            ObjectNode node = JSON.createObjectNode();
            node.put("holder", holder);
            node.put("fencing_token", token);
            if (renewedAt != null) {
                node.put("renewed_at", renewedAt.toString());
            }
            node.put("expires_at", expiresAt.toString());
            node.put("released", released);
            return JSON.writeValueAsBytes(node);
        }

        /** Held by its holder at {@code now}: not released, not expired, and not written after now (see the class comment). */
        boolean liveAt(Instant now) {
            return !released && expiresAt.isAfter(now) && (renewedAt == null || !renewedAt.isAfter(now.plus(CLOCK_TOLERANCE)));
        }
    }

    @Override
    public Optional<Lease> tryAcquire(String holder, Duration ttl) {
        requireNonNull(holder, "holder");
        checkTtl(ttl);
        Instant now = clock.instant();
        Optional<StoredObject> current = store.get(StorageLayout.LEASE_KEY);
        if (current.isEmpty()) {
            Record record = new Record(holder, 1, now, now.plus(ttl), false);
            return granted(new OwnWrites(store, holder).create(StorageLayout.LEASE_KEY, record.bytes()), record);
        }
        Record existing = Record.read(current.get());
        if (existing.liveAt(now)) {
            return Optional.empty();
        }
        Record record = new Record(holder, existing.token() + 1, now, now.plus(ttl), false);
        return granted(new OwnWrites(store, holder).replace(StorageLayout.LEASE_KEY, record.bytes(), current.get().etag()), record);
    }

    @Override
    public Lease renew(Lease lease, Duration ttl) {
        checkTtl(ttl);
        StoredObject current = currentGrant(lease);
        Instant now = clock.instant();
        Record record = new Record(lease.holder(), lease.fencingToken(), now, now.plus(ttl), false);
        if (!new OwnWrites(store, lease.holder()).replace(StorageLayout.LEASE_KEY, record.bytes(), current.etag()).ours()) {
            throw new LeaseLostException("lease of " + lease.holder() + " (token " + lease.fencingToken() + ") changed while renewing");
        }
        return lease(record);
    }

    @Override
    public void checkHeld(Lease lease) {
        currentGrant(lease);
    }

    @Override
    public void release(Lease lease) {
        requireNonNull(lease, "lease");
        Optional<StoredObject> current = store.get(StorageLayout.LEASE_KEY);
        if (current.isEmpty()) {
            return;
        }
        Record existing = Record.read(current.get());
        if (existing.token() != lease.fencingToken() || existing.released()) {
            return; // taken over meanwhile: the lease is someone else's to release
        }
        Record released = new Record(existing.holder(), existing.token(), existing.renewedAt(), existing.expiresAt(), true);
        new OwnWrites(store, lease.holder()).replace(StorageLayout.LEASE_KEY, released.bytes(), current.get().etag());
    }

    @Override
    public Optional<Lease> current() {
        Instant now = clock.instant();
        return store.get(StorageLayout.LEASE_KEY).map(Record::read).filter(r -> r.liveAt(now)).map(this::lease);
    }

    private StoredObject currentGrant(Lease lease) {
        requireNonNull(lease, "lease");
        StoredObject current = store.get(StorageLayout.LEASE_KEY)
                .orElseThrow(() -> new LeaseLostException("lease record is gone; " + lease.holder() + " no longer holds it"));
        Record record = Record.read(current);
        if (record.token() != lease.fencingToken() || !record.holder().equals(lease.holder())) {
            throw new LeaseLostException("lease was taken over by " + record.holder() + " (token " + record.token()
                    + "); " + lease.holder() + " held token " + lease.fencingToken());
        }
        if (record.released()) {
            throw new LeaseLostException("lease of " + lease.holder() + " (token " + lease.fencingToken() + ") was released");
        }
        if (!record.expiresAt().isAfter(clock.instant())) {
            throw new LeaseLostException("lease of " + lease.holder() + " (token " + lease.fencingToken() + ") expired at " + record.expiresAt());
        }
        return current;
    }

    private Optional<Lease> granted(OwnWrites.Outcome outcome, Record record) {
        return outcome.ours() ? Optional.of(lease(record)) : Optional.empty();
    }

    private Lease lease(Record record) {
        // The version is re-read lazily by checks; the token is what fences.
        return new Lease(record.holder(), record.token(), record.expiresAt(), Long.toString(record.token()));
    }

    private static void checkTtl(Duration ttl) {
        requireNonNull(ttl, "ttl");
        checkArgument(!ttl.isNegative() && !ttl.isZero(), "lease ttl must be positive: %s", ttl);
    }
}
