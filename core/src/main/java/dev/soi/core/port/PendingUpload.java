package dev.soi.core.port;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import java.util.List;

/**
 * An upload whose content is all in the store but not visible under its key yet: what {@link ObjectStore.Upload#stage()}
 * returns, {@link ObjectStore#completeUpload} makes visible and {@link ObjectStore#abortUpload} discards. Every field is
 * plain data, so a handle written into a record by one process is completed or aborted by another.
 *
 * @param key       the object's key once completed
 * @param uploadId  the store's name for the pending upload (S3's multipart upload id; a hidden file's name locally)
 * @param partEtags the etag of each uploaded part, part 1 first (S3 completes a multipart upload from this list; stores
 *                  without parts keep it empty)
 * @param size      the object's size in bytes once completed
 */
public record PendingUpload(String key, String uploadId, List<String> partEtags, long size) {
    public PendingUpload {
        requireNonNull(key, "key");
        requireNonNull(uploadId, "upload id");
        checkArgument(!uploadId.isBlank(), "upload id of %s is blank", key);
        partEtags = List.copyOf(requireNonNull(partEtags, "part etags"));
        checkArgument(size >= 0, "size of %s is negative: %d", key, size);
    }
}
