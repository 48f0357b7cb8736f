package dev.soi.core.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.Lease;
import dev.soi.core.port.LeaseLostException;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.RunLeaseContract;
import dev.soi.core.testing.FaultyObjectStore;
import dev.soi.core.testing.FaultyObjectStore.Fault;
import dev.soi.core.testing.InMemoryObjectStore;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The lease over the in-memory store: its contract, and its writes whose answers the store lost. */
class ObjectStoreRunLeaseTest extends RunLeaseContract {
    private static final Duration TTL = Duration.ofSeconds(60);

    @Override
    protected RunLease newLease(Clock clock) {
        return new ObjectStoreRunLease(new InMemoryObjectStore(clock), clock);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"LANDS_THEN_FAILS", "LANDS_THEN_RETRY_ANSWERS"})
    void anAcquireOrRenewalThatLandedIsHeldWhateverTheStoreAnswered(Fault fault) {
        FaultyObjectStore store = new FaultyObjectStore(new InMemoryObjectStore(clock));
        ObjectStoreRunLease faulty = new ObjectStoreRunLease(store, clock);

        store.arm(fault, w -> w.key().equals(StorageLayout.LEASE_KEY));
        Lease held = faulty.tryAcquire("run-a", TTL).orElseThrow();
        assertThat(faulty.tryAcquire("run-b", TTL)).as("held, so refused to another run").isEmpty();

        clock.advance(Duration.ofSeconds(30));
        store.arm(fault, w -> w.key().equals(StorageLayout.LEASE_KEY));
        Lease renewed = faulty.renew(held, TTL);
        assertThat(renewed.expiresAt()).isEqualTo(clock.instant().plus(TTL));
        faulty.checkHeld(renewed);

        clock.advance(Duration.ofSeconds(90));
        store.arm(fault, w -> w.key().equals(StorageLayout.LEASE_KEY));
        Lease takeover = faulty.tryAcquire("run-c", TTL).orElseThrow();
        assertThat(takeover.fencingToken()).isEqualTo(held.fencingToken() + 1);
        assertThatThrownBy(() -> faulty.checkHeld(renewed)).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void anAcquireThatNeverLandedFailsAndLeavesTheLeaseFree() {
        FaultyObjectStore store = new FaultyObjectStore(new InMemoryObjectStore(clock));
        ObjectStoreRunLease faulty = new ObjectStoreRunLease(store, clock);
        store.arm(Fault.FAILS_BEFORE_WRITE, w -> true);

        assertThatThrownBy(() -> faulty.tryAcquire("run-a", TTL)).isInstanceOf(ObjectStoreException.class);

        assertThat(faulty.current()).isEmpty();
        assertThat(faulty.tryAcquire("run-b", TTL)).isPresent();
    }
}
