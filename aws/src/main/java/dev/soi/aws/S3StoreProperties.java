package dev.soi.aws;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.domain.Checks.shown;

/**
 * Where the data lives in S3.
 *
 * @param bucket         the data bucket
 * @param prefix         folder under the bucket that holds everything (empty for the bucket's root),
 *                       without leading or trailing slash
 * @param partSizeBytes  multipart part size; S3 needs at least 5 MiB (default 8 MiB)
 */
public record S3StoreProperties(String bucket, String prefix, long partSizeBytes) {
    public static final long MIN_PART_BYTES = 5L * 1024 * 1024;
    public static final long DEFAULT_PART_BYTES = 8L * 1024 * 1024;

    public S3StoreProperties {
        requireNonNull(bucket, "bucket");
        checkArgument(bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"), "bucket must be a valid S3 bucket name: %s", shown(bucket));
        prefix = prefix == null ? "" : prefix;
        checkArgument(!prefix.startsWith("/") && !prefix.endsWith("/") && !prefix.contains("//"),
                "prefix must have no leading or trailing /: %s", shown(prefix));
        checkArgument(partSizeBytes >= MIN_PART_BYTES, "part size must be at least 5 MiB: %d", partSizeBytes);
    }

    public S3StoreProperties(String bucket, String prefix) {
        this(bucket, prefix, DEFAULT_PART_BYTES);
    }

    /** The prefix as keys start with it: empty, or {@code prefix/}. */
    public String keyPrefix() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }
}
