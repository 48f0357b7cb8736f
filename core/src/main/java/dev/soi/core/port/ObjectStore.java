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
     * Starts an upload of a possibly large object. Nothing is visible under the key until
     * {@link Upload#commit()}; {@link Upload#close()} without a commit discards everything written.
     * Uploading to the same key twice replaces the object, so a retried step may rewrite its own keys.
     */
    Upload startUpload(String key);

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
     * (open, committed, closed) for every store: a write after commit or close fails, {@link #commit()} publishes
     * once and {@link #close()} discards unless a commit succeeded, so a store supplies only the three moves
     * ({@link #append}, {@link #publish}, {@link #discard}). A commit that fails leaves the upload open, so the
     * close that follows still discards what was written. Not thread-safe: one writer per upload.
     */
    abstract class Upload extends OutputStream {
        private final String key;
        private final byte[] oneByte = new byte[1];
        private boolean committed;
        private boolean closed;

        protected Upload(String key) {
            this.key = key;
        }

        /** Writes {@code len} bytes into the pending object; it stays invisible. */
        protected abstract void append(byte[] bytes, int offset, int length) throws IOException;

        /** Makes everything appended visible under the key, atomically. Called at most once successfully. */
        protected abstract void publish() throws IOException;

        /** Drops everything appended; called once, and only if no {@link #publish()} succeeded. */
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

        /** Discards the upload unless it was committed. Safe to call more than once. */
        @Override
        public final void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (!committed) {
                discard();
            }
        }

        private void checkOpen() throws IOException {
            if (committed || closed) {
                throw new IOException("upload of " + key + " is already " + (committed ? "committed" : "closed"));
            }
        }
    }
}
