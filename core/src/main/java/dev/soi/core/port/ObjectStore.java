package dev.soi.core.port;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The data bucket: S3 in AWS, a directory locally. Keys are relative to the store's root (bucket and
 * prefix), use {@code /} as separator, and never start with {@code /}.
 *
 * <p>Every write is atomic: a reader sees the whole new object or the old state, never a part. Objects
 * carry an opaque {@code etag} that changes on every write, used for compare-and-swap.
 *
 * <p>Implementations are thread-safe and keep no state outside the store, so two processes over the same
 * store see the same objects. Failures of the store itself surface as {@link ObjectStoreException}.
 *
 * <p><b>Retries.</b> A write whose call failed may still have landed (the store applied it, the answer was lost), and a
 * retried conditional write fails its own precondition once the first attempt landed: the first write to finish wins and
 * later ones get 412, and an {@code If-Match} retry no longer matches the etag its own write replaced
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html#conditional-error-response). So neither
 * an exception nor {@link WriteOutcome#PRECONDITION_FAILED} proves that a conditional write did not land: callers that
 * must know read the object back and recognise their own write ({@code dev.soi.core.write.OwnWrites}).
 * {@link #completeUpload} and {@link #abortUpload} are idempotent, so they are simply called again.
 */
public interface ObjectStore {

    /** The object, or empty if there is none. */
    Optional<StoredObject> get(String key);

    /** Creates or replaces an object unconditionally. */
    void put(String key, byte[] content);

    /** Creates the object only if no object has the key ({@code If-None-Match: *}). */
    WriteOutcome putIfAbsent(String key, byte[] content);

    /** Replaces the object only if its current etag is {@code expectedEtag} ({@code If-Match}). */
    WriteOutcome putIfMatch(String key, byte[] content, String expectedEtag);

    /**
     * Starts an upload of a possibly large object. Nothing is visible under the key until {@link Upload#commit()}, or
     * until {@link #completeUpload} of what {@link Upload#stage()} returned; {@link Upload#close()} without either
     * discards everything written. Uploading to the same key twice replaces the object, so a retried step may rewrite
     * its own keys.
     */
    Upload startUpload(String key);

    /**
     * Makes a staged upload visible under its key, atomically (S3's CompleteMultipartUpload; a rename locally); any
     * process may call it with a handle another one staged. Completing an upload that is already complete is not an
     * error, as long as the object under its key is the upload's (same size), so a completion whose answer was lost is
     * simply called again. Throws {@link ObjectStoreException} naming the key when the upload is gone and its object is
     * not there: it was aborted, and its content is lost.
     */
    void completeUpload(PendingUpload upload);

    /**
     * Discards a staged upload that was never completed (S3's AbortMultipartUpload). An upload already aborted or gone
     * is not an error; an upload already completed stays: this never deletes a visible object.
     */
    void abortUpload(PendingUpload upload);

    /** All objects whose key starts with {@code prefix}, in key order, across every page. */
    List<ObjectSummary> list(String prefix);

    /**
     * Deletes the keys; a key with no object is not an error. Throws {@link ObjectStoreException} naming
     * every key that could not be deleted.
     */
    void delete(Collection<String> keys);

    /**
     * The location a query engine uses to read under {@code keyPrefix}: {@code s3://bucket/prefix/key} for
     * S3, an absolute path locally. A prefix that ends with {@code /} keeps the trailing slash.
     */
    String location(String keyPrefix);

    /**
     * An in-progress upload, written as a stream; see {@link #startUpload}. This class owns the upload's states
     * (open, committed, staged, closed) for every store: a write after commit, stage or close fails, {@link #commit()}
     * publishes once, {@link #stage()} keeps everything written for a later {@link #completeUpload}, and {@link #close()}
     * discards unless one of them succeeded, so a store supplies only the four moves ({@link #append}, {@link #publish},
     * {@link #keep}, {@link #discard}). A commit or stage that fails leaves the upload open, so the close that follows
     * still discards what was written. Not thread-safe: one writer per upload.
     */
    abstract class Upload extends OutputStream {
        private final String key;
        private final byte[] oneByte = new byte[1];
        private boolean committed;
        private boolean staged;
        private boolean closed;

        protected Upload(String key) {
            this.key = key;
        }

        /** Writes {@code len} bytes into the pending object; it stays invisible. */
        protected abstract void append(byte[] bytes, int offset, int length) throws IOException;

        /** Makes everything appended visible under the key, atomically. Called at most once successfully. */
        protected abstract void publish() throws IOException;

        /**
         * Makes everything appended durable in the store without making it visible, and names it: the handle
         * {@link ObjectStore#completeUpload} needs. Called at most once successfully.
         */
        protected abstract PendingUpload keep() throws IOException;

        /** Drops everything appended; called once, and only if no {@link #publish()} or {@link #keep()} succeeded. */
        protected abstract void discard() throws IOException;

        @Override
        public final void write(int b) throws IOException {
            oneByte[0] = (byte) b;
            write(oneByte, 0, 1);
        }

        @Override
        public final void write(byte[] bytes, int offset, int length) throws IOException {
            checkOpen();
            append(bytes, offset, length);
        }

        /** Makes the object visible under its key, atomically. Further writes fail. */
        public final void commit() throws IOException {
            checkOpen();
            publish();
            committed = true;
        }

        /**
         * Ends the upload without making it visible: nothing is under the key until {@link ObjectStore#completeUpload}
         * of the returned handle, and {@link ObjectStore#abortUpload} discards it. Further writes fail; {@link #close()}
         * no longer discards.
         */
        public final PendingUpload stage() throws IOException {
            checkOpen();
            PendingUpload pending = keep();
            staged = true;
            return pending;
        }

        /** Discards the upload unless it was committed or staged. Safe to call more than once. */
        @Override
        public final void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (!committed && !staged) {
                discard();
            }
        }

        private void checkOpen() throws IOException {
            if (committed || staged || closed) {
                throw new IOException("upload of " + key + " is already " + (committed ? "committed" : staged ? "staged" : "closed"));
            }
        }
    }
}
