package dev.soi.embedded;

import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.RunLeaseContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoreRunLeaseOnFileSystemTest extends RunLeaseContract {
    @TempDir
    Path root;

    @Override
    protected RunLease newLease(Clock clock) {
        return new ObjectStoreRunLease(new FileSystemObjectStore(root), clock);
    }
}
