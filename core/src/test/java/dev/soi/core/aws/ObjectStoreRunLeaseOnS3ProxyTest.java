package dev.soi.core.aws;

import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.RunLeaseContract;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.s3.S3Client;

/** The run lease over the S3 adapter, against S3Proxy's conditional writes. */
class ObjectStoreRunLeaseOnS3ProxyTest extends RunLeaseContract {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3ProxyServer server;
    private static S3Client client;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start();
        client = server.client();
    }

    @AfterAll
    static void stopServer() throws Exception {
        client.close();
        server.close();
    }

    @Override
    protected RunLease newLease(Clock clock) {
        String bucket = "lease-" + BUCKETS.incrementAndGet();
        client.createBucket(b -> b.bucket(bucket));
        return new ObjectStoreRunLease(new S3ObjectStore(client, new S3StoreProperties(bucket, "")), clock);
    }
}
