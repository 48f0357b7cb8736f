package dev.soi.core.testing;

import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.Lease;
import dev.soi.core.port.LeaseLostException;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.WriteOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A small lease over an object store's conditional writes, for tests: the record under {@code _lease} is
 * {@code holder|token|expiresAtMillis|released|renewedAtMillis}; a grant renewed after the reader's now is not live
 * (see {@link dev.soi.core.port.RunLease#CLOCK_TOLERANCE}). The product's lease is ObjectStoreRunLease in core;
 * {@code InMemoryRunLeaseTest} holds this one to the same {@code RunLeaseContract}.
 */
public final class InMemoryRunLease implements dev.soi.core.port.RunLease {
    private record Record(String holder, long token, Instant expiresAt, boolean released, Instant renewedAt) {
        static Record parse(StoredObject object) {
            String[] parts = new String(object.content(), StandardCharsets.UTF_8).split("\\|");
            return new Record(parts[0], Long.parseLong(parts[1]), Instant.ofEpochMilli(Long.parseLong(parts[2])),
                    Boolean.parseBoolean(parts[3]), Instant.ofEpochMilli(Long.parseLong(parts[4])));
        }

        byte[] bytes() {
            return (holder + "|" + token + "|" + expiresAt.toEpochMilli() + "|" + released + "|" + renewedAt.toEpochMilli())
                    .getBytes(StandardCharsets.UTF_8);
        }

        boolean liveAt(Instant now) {
            return !released && expiresAt.isAfter(now) && !renewedAt.isAfter(now.plus(dev.soi.core.port.RunLease.CLOCK_TOLERANCE));
        }
    }

    private final ObjectStore store;
    private final Clock clock;

    public InMemoryRunLease(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Optional<Lease> tryAcquire(String holder, Duration ttl) {
        while (true) {
            Instant now = clock.instant();
            Optional<StoredObject> current = store.get(StorageLayout.LEASE_KEY);
            if (current.isEmpty()) {
                Record record = new Record(holder, 1, now.plus(ttl), false, now);
                if (store.putIfAbsent(StorageLayout.LEASE_KEY, record.bytes()) == WriteOutcome.WRITTEN) {
                    return Optional.of(lease(record));
                }
                continue;
            }
            Record existing = Record.parse(current.get());
            if (existing.liveAt(now)) {
                return Optional.empty();
            }
            Record record = new Record(holder, existing.token() + 1, now.plus(ttl), false, now);
            if (store.putIfMatch(StorageLayout.LEASE_KEY, record.bytes(), current.get().etag()) == WriteOutcome.WRITTEN) {
                return Optional.of(lease(record));
            }
        }
    }

    @Override
    public Lease renew(Lease lease, Duration ttl) {
        StoredObject current = store.get(StorageLayout.LEASE_KEY).orElseThrow(() -> lost(lease));
        Record existing = Record.parse(current);
        if (existing.token() != lease.fencingToken() || existing.released()) {
            throw lost(lease);
        }
        Instant now = clock.instant();
        Record record = new Record(existing.holder(), existing.token(), now.plus(ttl), false, now);
        if (store.putIfMatch(StorageLayout.LEASE_KEY, record.bytes(), current.etag()) != WriteOutcome.WRITTEN) {
            throw lost(lease);
        }
        return lease(record);
    }

    @Override
    public void checkHeld(Lease lease) {
        Record existing = store.get(StorageLayout.LEASE_KEY).map(Record::parse).orElseThrow(() -> lost(lease));
        if (existing.token() != lease.fencingToken() || existing.released() || !existing.expiresAt().isAfter(clock.instant())) {
            throw lost(lease);
        }
    }

    @Override
    public void release(Lease lease) {
        Optional<StoredObject> current = store.get(StorageLayout.LEASE_KEY);
        if (current.isEmpty()) {
            return;
        }
        Record existing = Record.parse(current.get());
        if (existing.token() == lease.fencingToken() && !existing.released()) {
            Record released = new Record(existing.holder(), existing.token(), existing.expiresAt(), true, existing.renewedAt());
            store.putIfMatch(StorageLayout.LEASE_KEY, released.bytes(), current.get().etag());
        }
    }

    @Override
    public Optional<Lease> current() {
        Instant now = clock.instant();
        return store.get(StorageLayout.LEASE_KEY).map(Record::parse).filter(r -> r.liveAt(now)).map(this::lease);
    }

    private Lease lease(Record record) {
        String etag = store.get(StorageLayout.LEASE_KEY).map(StoredObject::etag).orElseThrow();
        return new Lease(record.holder(), record.token(), record.expiresAt(), etag);
    }

    private static LeaseLostException lost(Lease lease) {
        return new LeaseLostException("lease of " + lease.holder() + " (token " + lease.fencingToken() + ") is no longer held");
    }
}
