package dev.soi.batch.run;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.Lease;
import dev.soi.core.port.RunLease;
import java.time.Duration;
import java.util.Optional;

/**
 * The run lease as this run holds it: taken once by the lease step, renewed by the heartbeat and by steps that work
 * long on one thing, checked before every write it fences, released when the job ends. The one holder of the lease
 * value: renewals are serialised here, so a renewal never replaces a newer one. Thread-safe.
 */
public final class HeldLease {
    private final RunLease port;
    private final String holder;
    private final Duration ttl;
    private volatile Lease lease;

    public HeldLease(RunLease port, String holder, Duration ttl) {
        this.port = requireNonNull(port, "run lease");
        this.holder = requireNonNull(holder, "holder");
        this.ttl = requireNonNull(ttl, "ttl");
    }

    /** Takes the lease; false when another live run holds it. */
    public synchronized boolean acquire() {
        if (lease != null) {
            throw new IllegalStateException(holder + " already holds the lease");
        }
        Optional<Lease> taken = port.tryAcquire(holder, ttl);
        taken.ifPresent(l -> lease = l);
        return taken.isPresent();
    }

    /** The lease as another run holds it now, if any: asked after {@link #acquire()} failed. */
    public Optional<Lease> otherHolder() {
        return port.current();
    }

    public boolean held() {
        return lease != null;
    }

    /** The lease as last taken or renewed. */
    public Lease current() {
        Lease current = lease;
        if (current == null) {
            throw new IllegalStateException(holder + " does not hold the lease");
        }
        return current;
    }

    public long fencingToken() {
        return current().fencingToken();
    }

    /** Renews the lease for another {@code ttl}; a lost lease is a {@link dev.soi.core.port.LeaseLostException}. */
    public synchronized void renew() {
        lease = port.renew(current(), ttl);
    }

    /** Fails with {@link dev.soi.core.port.LeaseLostException} unless this run still holds the lease. */
    public void check() {
        port.checkHeld(current());
    }

    /** Gives the lease back, if it was taken. */
    public synchronized void release() {
        if (lease != null) {
            port.release(lease);
        }
    }
}
