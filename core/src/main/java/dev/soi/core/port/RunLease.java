package dev.soi.core.port;

import java.time.Duration;
import java.util.Optional;

/**
 * Lets one batch run at a time work on the tables, across processes (the scheduled run and an on-demand
 * rebuild).
 *
 * <p>A lease expires at a time written in it, so a crashed holder blocks others only until then; the next
 * caller takes it over. Each grant carries a fencing token that is strictly greater than every earlier
 * grant's, and {@link #checkHeld} must be called right before an irreversible step (the latest-table swap):
 * a holder whose lease was taken over learns it there and stops.
 *
 * <p>A step of a clock cannot hold a lease past its ttl: a grant or renewal dated more than {@link #CLOCK_TOLERANCE}
 * after the reader's now (the reader's clock stepped back, or the writer's ran ahead) is not live for that reader, who
 * may take the lease over. That can cost a live holder its lease (it is fenced and stops at its next check); it never
 * keeps a dead holder's lease for the size of the step.
 */
public interface RunLease {
    /**
     * How far after a reader's now a grant may be dated and still count as live: the disagreement tolerated between
     * the clocks of two processes over one store (two seconds: NTP-synchronised hosts agree far better, and a grant
     * read back a little early must still count as held).
     */
    Duration CLOCK_TOLERANCE = Duration.ofSeconds(2);

    /** Takes the lease if it is free, expired or dated after now (see {@link #CLOCK_TOLERANCE}); empty if another holder has a live lease. */
    Optional<Lease> tryAcquire(String holder, Duration ttl);

    /** Extends a held lease; throws {@link LeaseLostException} if it was taken over. */
    Lease renew(Lease lease, Duration ttl);

    /** Throws {@link LeaseLostException} unless {@code lease} is still the current, unexpired grant. */
    void checkHeld(Lease lease);

    /** Gives the lease up. Releasing a lease that was already taken over does nothing. */
    void release(Lease lease);

    /** The live grant (not expired, not released), whoever holds it; empty when the lease is free. */
    Optional<Lease> current();
}
