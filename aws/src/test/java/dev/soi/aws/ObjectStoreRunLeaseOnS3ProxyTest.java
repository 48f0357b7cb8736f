package dev.soi.aws;

import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.RunLeaseContract;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The run lease over the S3 adapter, against S3Proxy's conditional writes. */
class ObjectStoreRunLeaseOnS3ProxyTest extends RunLeaseContract {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @Override
    protected RunLease newLease(Clock clock) {
        return new ObjectStoreRunLease(new S3ObjectStore(S3.client(), new S3StoreProperties(S3.newBucket("lease"), "")), clock);
    }
}
