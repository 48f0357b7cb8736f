package dev.soi.core.testing;

import dev.soi.core.port.RunLease;
import dev.soi.core.port.RunLeaseContract;
import java.time.Clock;

/** The test lease keeps the same contract as ObjectStoreRunLease, over the in-memory store's conditional writes. */
class InMemoryRunLeaseTest extends RunLeaseContract {
    @Override
    protected RunLease newLease(Clock clock) {
        return new InMemoryRunLease(new InMemoryObjectStore(clock), clock);
    }
}
