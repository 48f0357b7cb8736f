package dev.soi.core.testing;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreContract;

/** The in-memory fake keeps the same contract as the folder store and the S3 adapter. */
class InMemoryObjectStoreTest extends ObjectStoreContract {
    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }
}
