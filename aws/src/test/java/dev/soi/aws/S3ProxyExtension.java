package dev.soi.aws;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Proxy in-process on loopback with an in-memory store, or with its filesystem store on a folder
 * ({@link #onFolder}: bucket {@code b}, key {@code k} is the file {@code folder/b/k}, so an engine reading local files
 * sees what the S3 clients wrote), for one test class: a server that speaks the S3 wire protocol. Register it on a static field ({@code @RegisterExtension static final S3ProxyExtension S3 = new
 * S3ProxyExtension();}); it starts before the class's {@code @BeforeAll} methods and stops, with its client,
 * after its {@code @AfterAll} methods. Each instance is its own server, so classes never share buckets.
 */
public final class S3ProxyExtension implements BeforeAllCallback, AfterAllCallback {
    /** The credentials the server checks signatures against; the default credentials chain can be pointed at them. */
    public static final String ACCESS_KEY = "local-access";
    public static final String SECRET_KEY = "local-secret";

    private final AtomicInteger buckets = new AtomicInteger();
    private final Path folder;
    private S3Proxy proxy;
    private URI endpoint;
    private S3Client client;

    /** With the in-memory store. */
    public S3ProxyExtension() {
        this.folder = null;
    }

    private S3ProxyExtension(Path folder) {
        this.folder = folder;
    }

    /** With the filesystem store on {@code folder}, which must exist: each bucket is a folder in it. */
    public static S3ProxyExtension onFolder(Path folder) {
        return new S3ProxyExtension(java.util.Objects.requireNonNull(folder, "folder"));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        BlobStore store = folder == null ? new TransientNio2BlobStore() : new FilesystemNio2BlobStore(folder.toAbsolutePath().toString());
        proxy = S3Proxy.builder()
                .blobStore(store)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        Awaitility.await().until(() -> "STARTED".equals(proxy.getState()));
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        // A client as the product builds one, pointed at this server (path-style, as S3-compatible servers need).
        client = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (client != null) {
            client.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
    }

    /** The client the extension owns and closes; callers must not close it. */
    public S3Client client() {
        return requireStarted(client);
    }

    public URI endpoint() {
        return requireStarted(endpoint);
    }

    /** Creates a bucket named {@code prefix-N}, N counting up per server, so each test gets a fresh one. */
    public String newBucket(String prefix) {
        String bucket = prefix + "-" + buckets.incrementAndGet();
        client().createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    private static <T> T requireStarted(T value) {
        if (value == null) {
            throw new IllegalStateException("S3ProxyExtension is not started: register it on a static field");
        }
        return value;
    }
}
