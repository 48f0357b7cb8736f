package dev.soi.bench;

import java.net.URI;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/** S3Proxy on a loopback port over a folder (a bucket is a sub-folder), started: what the AWS-mode benchmarks talk S3 to. */
final class LocalS3Proxy {
    private LocalS3Proxy() {}

    /** Starts it and waits until it serves, at most 30 s; the caller stops it. */
    static S3Proxy start(Path folder, String accessKey, String secretKey) throws Exception {
        S3Proxy proxy = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(folder.toAbsolutePath().toString()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .endpoint(URI.create("http://127.0.0.1:0")).build();
        proxy.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                proxy.stop();
                throw new IllegalStateException("S3Proxy over " + folder + " did not start within 30 s (state " + proxy.getState() + ")");
            }
            Thread.sleep(20);
        }
        return proxy;
    }
}
