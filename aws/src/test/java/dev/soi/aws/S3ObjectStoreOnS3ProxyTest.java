package dev.soi.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The S3 adapter against S3Proxy: real S3 protocol (multipart, ListObjectsV2, conditional PUTs) on loopback. */
class S3ObjectStoreOnS3ProxyTest extends ObjectStoreContract {
    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();
    private String bucket;

    @Override
    protected ObjectStore newStore() {
        bucket = S3.newBucket("contract");
        // 5 MiB parts: the 11 MiB contract upload becomes a three-part multipart upload.
        return new S3ObjectStore(S3.client(), new S3StoreProperties(bucket, "soi/data", S3StoreProperties.MIN_PART_BYTES));
    }

    @Test
    void keysLiveUnderThePrefixAndLocationsAreS3Uris() {
        store.put("security_of_interest_pit/x.parquet", new byte[] {1});
        assertThat(S3.client().listObjectsV2(b -> b.bucket(bucket)).contents())
                .extracting(o -> o.key()).containsExactly("soi/data/security_of_interest_pit/x.parquet");
        assertThat(store.location("security_of_interest_pit/")).isEqualTo("s3://" + bucket + "/soi/data/security_of_interest_pit/");
    }
}
