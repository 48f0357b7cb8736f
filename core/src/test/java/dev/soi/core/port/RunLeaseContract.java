package dev.soi.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.core.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RunLease} must do. A subclass builds a fresh lease over the given clock. */
public abstract class RunLeaseContract {
    private static final Duration TTL = Duration.ofMinutes(10);

    protected final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T03:00:00Z"));
    protected RunLease lease;

    protected abstract RunLease newLease(Clock clock);

    @BeforeEach
    void setUpLease() {
        lease = newLease(clock);
    }

    @Test
    void aFreeLeaseIsGrantedAndASecondCallerIsRefused() {
        Lease first = lease.tryAcquire("run-a", TTL).orElseThrow();
        assertThat(first.holder()).isEqualTo("run-a");
        assertThat(first.expiresAt()).isEqualTo(clock.instant().plus(TTL));
        assertThat(lease.tryAcquire("run-b", TTL)).isEmpty();
        lease.checkHeld(first);
    }

    @Test
    void currentNamesTheLiveHolderUntilReleaseOrExpiry() {
        assertThat(lease.current()).isEmpty();
        Lease first = lease.tryAcquire("run-a", TTL).orElseThrow();
        assertThat(lease.current()).hasValueSatisfying(l -> {
            assertThat(l.holder()).isEqualTo("run-a");
            assertThat(l.fencingToken()).isEqualTo(first.fencingToken());
            assertThat(l.expiresAt()).isEqualTo(first.expiresAt());
        });
        lease.release(first);
        assertThat(lease.current()).isEmpty();
        lease.tryAcquire("run-b", TTL).orElseThrow();
        clock.advance(TTL);
        assertThat(lease.current()).as("expired").isEmpty();
    }

    @Test
    void anExpiredLeaseIsTakenOverWithALargerFencingToken() {
        Lease crashed = lease.tryAcquire("run-a", TTL).orElseThrow();
        clock.advance(TTL.plusSeconds(1));
        Lease next = lease.tryAcquire("run-b", TTL).orElseThrow();
        assertThat(next.fencingToken()).isGreaterThan(crashed.fencingToken());
        assertThatThrownBy(() -> lease.checkHeld(crashed)).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> lease.renew(crashed, TTL)).isInstanceOf(LeaseLostException.class);
        lease.checkHeld(next);
    }

    @Test
    void anExpiredLeaseFailsTheHoldersCheckEvenBeforeATakeover() {
        Lease held = lease.tryAcquire("run-a", TTL).orElseThrow();
        clock.advance(TTL);
        assertThatThrownBy(() -> lease.checkHeld(held)).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void aClockSteppedBackCannotHoldACrashedRunsLeasePastItsTtl() {
        Lease crashed = lease.tryAcquire("run-a", TTL).orElseThrow();
        clock.set(clock.instant().minus(Duration.ofMinutes(10)));

        assertThat(lease.current()).as("a grant dated after this clock's now is not live").isEmpty();
        Lease next = lease.tryAcquire("run-b", TTL).orElseThrow();

        assertThat(next.fencingToken()).isGreaterThan(crashed.fencingToken());
        assertThat(next.expiresAt()).isEqualTo(clock.instant().plus(TTL));
        assertThatThrownBy(() -> lease.checkHeld(crashed)).isInstanceOf(LeaseLostException.class);
        lease.checkHeld(next);
    }

    @Test
    void clocksThatDisagreeWithinTheToleranceKeepALiveLease() {
        Lease held = lease.tryAcquire("run-a", TTL).orElseThrow();
        clock.set(clock.instant().minus(RunLease.CLOCK_TOLERANCE));

        assertThat(lease.tryAcquire("run-b", TTL)).isEmpty();
        assertThat(lease.current()).map(Lease::holder).hasValue("run-a");
        lease.checkHeld(held);
    }

    @Test
    void aRenewalAfterTheClockSteppedBackDatesTheLeaseAgain() {
        Lease held = lease.tryAcquire("run-a", TTL).orElseThrow();
        clock.set(clock.instant().minus(Duration.ofMinutes(10)));
        Lease renewed = lease.renew(held, TTL);

        assertThat(lease.tryAcquire("run-b", TTL)).as("renewed at this clock's now: live again").isEmpty();
        lease.checkHeld(renewed);
    }

    @Test
    void renewingExtendsTheLease() {
        Lease held = lease.tryAcquire("run-a", TTL).orElseThrow();
        clock.advance(Duration.ofMinutes(9));
        Lease renewed = lease.renew(held, TTL);
        clock.advance(Duration.ofMinutes(9));
        lease.checkHeld(renewed);
        assertThat(lease.tryAcquire("run-b", TTL)).isEmpty();
    }

    @Test
    void releaseFreesTheLeaseAndTokensKeepGrowing() {
        Lease first = lease.tryAcquire("run-a", TTL).orElseThrow();
        lease.release(first);
        Lease second = lease.tryAcquire("run-b", TTL).orElseThrow();
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
        lease.release(first);
        assertThat(lease.tryAcquire("run-c", TTL)).isEmpty();
    }

    @Test
    void racingCallersGetExactlyOneLease() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Optional<Lease>>> outcomes = IntStream.range(0, 8)
                    .mapToObj(i -> pool.submit(() -> {
                        start.await();
                        return lease.tryAcquire("run-" + i, TTL);
                    })).toList();
            start.countDown();
            List<Lease> granted = new ArrayList<>();
            for (Future<Optional<Lease>> outcome : outcomes) {
                outcome.get().ifPresent(granted::add);
            }
            assertThat(granted).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
