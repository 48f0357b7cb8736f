package dev.soi.aws;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.domain.Checks.shown;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.PendingUpload;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.WriteOutcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectStore} on S3 (AWS SDK v2, sync client). Keys are relative to {@code s3://bucket/prefix/}.
 *
 * <p>Conditional writes use S3's {@code If-None-Match: *} and {@code If-Match}; S3 answers 412 when the
 * condition fails and 409 when a concurrent conditional write to the same key won, both mapped to
 * {@link WriteOutcome#PRECONDITION_FAILED}. Uploads ({@link S3Upload}) buffer one part in memory: an object smaller
 * than a part is one PutObject on commit, a larger one a multipart upload completed on commit and aborted on close
 * without commit (the pattern of Confluent's S3 sink), so nothing half-written is ever visible. A staged upload is
 * always a multipart upload, every part uploaded and the completion left to {@link #completeUpload}: the Hadoop S3A
 * "magic" committer's way of keeping a job's files invisible until the job commits. Deletes go in batches of 1,000
 * and check every per-key error. Thread-safe.
 */
public final class S3ObjectStore implements ObjectStore {
    private static final int DELETE_BATCH = 1000;

    private final S3Client client;
    private final S3StoreProperties properties;

    public S3ObjectStore(S3Client client, S3StoreProperties properties) {
        this.client = requireNonNull(client, "s3 client");
        this.properties = requireNonNull(properties, "properties");
    }

    @Override
    public Optional<StoredObject> get(String key) {
        String fullKey = fullKey(key);
        try {
            ResponseBytes<GetObjectResponse> bytes = client.getObjectAsBytes(b -> b.bucket(properties.bucket()).key(fullKey));
            return Optional.of(new StoredObject(key, bytes.asByteArray(), bytes.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("GetObject", key, e);
        }
    }

    @Override
    public void put(String key, byte[] content) {
        requireNonNull(content, "content");
        String fullKey = fullKey(key);
        try {
            client.putObject(b -> b.bucket(properties.bucket()).key(fullKey), RequestBody.fromBytes(content));
        } catch (SdkException e) {
            throw failure("PutObject", key, e);
        }
    }

    @Override
    public WriteOutcome putIfAbsent(String key, byte[] content) {
        requireNonNull(content, "content");
        String fullKey = fullKey(key);
        return conditional(key, false, () -> client.putObject(b -> b.bucket(properties.bucket()).key(fullKey).ifNoneMatch("*"),
                RequestBody.fromBytes(content)));
    }

    @Override
    public WriteOutcome putIfMatch(String key, byte[] content, String expectedEtag) {
        requireNonNull(content, "content");
        requireNonNull(expectedEtag, "expected etag");
        String fullKey = fullKey(key);
        // S3 answers If-Match on a missing key with 404: there is no version to match, so the condition failed.
        return conditional(key, true, () -> client.putObject(b -> b.bucket(properties.bucket()).key(fullKey).ifMatch(expectedEtag),
                RequestBody.fromBytes(content)));
    }

    @Override
    public Upload startUpload(String key) {
        return new S3Upload(client, properties, key, fullKey(key));
    }

    @Override
    public void completeUpload(PendingUpload upload) {
        requireNonNull(upload, "upload");
        String fullKey = fullKey(upload.key());
        List<CompletedPart> parts = new ArrayList<>();
        for (int i = 0; i < upload.partEtags().size(); i++) {
            parts.add(CompletedPart.builder().partNumber(i + 1).eTag(upload.partEtags().get(i)).build());
        }
        try {
            client.completeMultipartUpload(b -> b.bucket(properties.bucket()).key(fullKey).uploadId(upload.uploadId())
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw failure("CompleteMultipartUpload", upload.key(), e);
            }
            // NoSuchUpload: completed by an earlier call whose answer was lost, or aborted. The object tells which.
            Long size = sizeOf(fullKey, upload.key());
            if (size == null || size != upload.size()) {
                throw new ObjectStoreException("upload " + upload.uploadId() + " of " + upload.key() + " in s3://" + properties.bucket()
                        + " is gone and " + (size == null ? "no object is there" : "the object there has " + size + " bytes, not "
                        + upload.size()) + ": the upload was aborted (by hand, or by the bucket's rule for incomplete uploads) "
                        + "before it was completed, and its content is lost", e);
            }
        } catch (SdkException e) {
            throw failure("CompleteMultipartUpload", upload.key(), e);
        }
    }

    @Override
    public void abortUpload(PendingUpload upload) {
        requireNonNull(upload, "upload");
        String fullKey = fullKey(upload.key());
        try {
            client.abortMultipartUpload(b -> b.bucket(properties.bucket()).key(fullKey).uploadId(upload.uploadId()));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw failure("AbortMultipartUpload", upload.key(), e);
            }
        } catch (SdkException e) {
            throw failure("AbortMultipartUpload", upload.key(), e);
        }
    }

    @Override
    public List<ObjectSummary> list(String prefix) {
        requireNonNull(prefix, "prefix");
        String fullPrefix = properties.keyPrefix() + prefix;
        List<ObjectSummary> objects = new ArrayList<>();
        try {
            for (S3Object object : client.listObjectsV2Paginator(ListObjectsV2Request.builder()
                    .bucket(properties.bucket()).prefix(fullPrefix).build()).contents()) {
                objects.add(new ObjectSummary(object.key().substring(properties.keyPrefix().length()), object.size(), object.lastModified()));
            }
        } catch (SdkException e) {
            throw failure("ListObjectsV2", prefix, e);
        }
        return objects;
    }

    @Override
    public void delete(Collection<String> keys) {
        List<String> all = List.copyOf(requireNonNull(keys, "keys"));
        List<String> failed = new ArrayList<>();
        for (int from = 0; from < all.size(); from += DELETE_BATCH) {
            List<ObjectIdentifier> batch = all.subList(from, Math.min(all.size(), from + DELETE_BATCH)).stream()
                    .map(k -> ObjectIdentifier.builder().key(fullKey(k)).build()).toList();
            try {
                DeleteObjectsResponse response = client.deleteObjects(b -> b.bucket(properties.bucket())
                        .delete(Delete.builder().objects(batch).quiet(true).build()));
                response.errors().forEach(e -> failed.add(e.key() + " (" + e.code() + ": " + e.message() + ")"));
            } catch (SdkException e) {
                throw failure("DeleteObjects", batch.size() + " keys from " + batch.get(0).key(), e);
            }
        }
        if (!failed.isEmpty()) {
            throw new ObjectStoreException("DeleteObjects in s3://" + properties.bucket() + " failed for " + failed.size() + " keys: " + failed);
        }
    }

    @Override
    public String location(String keyPrefix) {
        requireNonNull(keyPrefix, "key prefix");
        return "s3://" + properties.bucket() + "/" + properties.keyPrefix() + keyPrefix;
    }

    private String fullKey(String key) {
        requireNonNull(key, "key");
        checkArgument(!key.isEmpty(), "object key is empty");
        checkArgument(!key.startsWith("/") && !key.contains("//") && !key.contains("\\"),
                "object key must be relative, with / between non-empty segments: %s", shown(key));
        for (int i = 0; i < key.length(); i++) {
            checkArgument(key.charAt(i) >= 0x20 && key.charAt(i) != 0x7f, "object key must not contain control characters: %s", shown(key));
        }
        return properties.keyPrefix() + key;
    }

    private WriteOutcome conditional(String key, boolean missingFails, Runnable write) {
        try {
            write.run();
            return WriteOutcome.WRITTEN;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409 || (missingFails && e.statusCode() == 404)) {
                return WriteOutcome.PRECONDITION_FAILED;
            }
            throw failure("conditional PutObject", key, e);
        } catch (SdkException e) {
            throw failure("conditional PutObject", key, e);
        }
    }

    /** The size of the object under {@code fullKey}, or null when there is none. */
    private Long sizeOf(String fullKey, String key) {
        try {
            return client.headObject(b -> b.bucket(properties.bucket()).key(fullKey)).contentLength();
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw failure("HeadObject", key, e);
        } catch (SdkException e) {
            throw failure("HeadObject", key, e);
        }
    }

    private ObjectStoreException failure(String operation, String key, SdkException e) {
        return new ObjectStoreException(operation + " of " + key + " in s3://" + properties.bucket() + "/" + properties.keyPrefix()
                + " failed: " + e.getMessage(), e);
    }
}
