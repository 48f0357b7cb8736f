package dev.soi.core.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 adapter against S3Proxy: real S3 protocol (multipart, ListObjectsV2, conditional PUTs) on loopback. */
class S3ObjectStoreOnS3ProxyTest extends ObjectStoreContract {
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
    protected ObjectStore newStore() {
        String bucket = "contract-" + BUCKETS.incrementAndGet();
        client.createBucket(b -> b.bucket(bucket));
        // 5 MiB parts: the 11 MiB contract upload becomes a three-part multipart upload.
        return new S3ObjectStore(client, new S3StoreProperties(bucket, "soi/data", S3StoreProperties.MIN_PART_BYTES));
    }

    @Test
    void keysLiveUnderThePrefixAndLocationsAreS3Uris() {
        store.put("security_of_interest_pit/x.parquet", new byte[] {1});
        String bucket = "contract-" + BUCKETS.get();
        assertThat(client.listObjectsV2(b -> b.bucket(bucket)).contents())
                .extracting(o -> o.key()).containsExactly("soi/data/security_of_interest_pit/x.parquet");
        assertThat(store.location("security_of_interest_pit/")).isEqualTo("s3://" + bucket + "/soi/data/security_of_interest_pit/");
    }
}
