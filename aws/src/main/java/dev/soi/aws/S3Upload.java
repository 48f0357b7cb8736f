package dev.soi.aws;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.PendingUpload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One upload of {@link S3ObjectStore}, buffering one part in memory. Committed, an object smaller than a part is one
 * PutObject and a larger one a multipart upload completed at once; staged, it is always a multipart upload with every
 * part uploaded and no completion, so nothing is visible until {@link S3ObjectStore#completeUpload}. Closed without
 * either, a started multipart upload is aborted.
 */
final class S3Upload extends ObjectStore.Upload {
    private final S3Client client;
    private final S3StoreProperties properties;
    private final String key;
    private final String fullKey;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final List<CompletedPart> parts = new ArrayList<>();
    private String uploadId;
    private long size;

    S3Upload(S3Client client, S3StoreProperties properties, String key, String fullKey) {
        super(key);
        this.client = client;
        this.properties = properties;
        this.key = key;
        this.fullKey = fullKey;
    }

    @Override
    protected void append(byte[] b, int off, int len) throws IOException {
        size += len;
        while (len > 0) {
            int room = (int) (properties.partSizeBytes() - buffer.size());
            int chunk = Math.min(room, len);
            buffer.write(b, off, chunk);
            off += chunk;
            len -= chunk;
            if (buffer.size() >= properties.partSizeBytes()) {
                uploadPart();
            }
        }
    }

    private void uploadPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = client.createMultipartUpload(b -> b.bucket(properties.bucket()).key(fullKey)).uploadId();
            }
            int number = parts.size() + 1;
            String etag = client.uploadPart(b -> b.bucket(properties.bucket()).key(fullKey).uploadId(uploadId).partNumber(number),
                    RequestBody.fromBytes(buffer.toByteArray())).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            buffer.reset();
        } catch (SdkException e) {
            throw new IOException("UploadPart of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    protected void publish() throws IOException {
        try {
            if (uploadId == null) {
                client.putObject(b -> b.bucket(properties.bucket()).key(fullKey), RequestBody.fromBytes(buffer.toByteArray()));
            } else {
                if (buffer.size() > 0) {
                    uploadPart();
                }
                client.completeMultipartUpload(b -> b.bucket(properties.bucket()).key(fullKey).uploadId(uploadId)
                        .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
            }
        } catch (SdkException e) {
            throw new IOException("committing the upload of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    protected PendingUpload keep() throws IOException {
        // The last part may be smaller than the minimum; a small file is a multipart upload of one part.
        if (buffer.size() > 0 || parts.isEmpty()) {
            uploadPart();
        }
        return new PendingUpload(key, uploadId, parts.stream().map(CompletedPart::eTag).toList(), size);
    }

    @Override
    protected void discard() throws IOException {
        buffer.reset();
        if (uploadId != null) {
            try {
                client.abortMultipartUpload(b -> b.bucket(properties.bucket()).key(fullKey).uploadId(uploadId));
            } catch (SdkException e) {
                // A multipart upload left open is invisible and expires by the bucket's lifecycle rule.
                throw new IOException("aborting the upload of " + key + " failed: " + e.getMessage(), e);
            }
        }
    }
}
