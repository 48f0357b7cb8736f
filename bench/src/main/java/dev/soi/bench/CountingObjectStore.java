package dev.soi.bench;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.PendingUpload;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.WriteOutcome;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the S3 requests the S3 adapter ({@code S3ObjectStore}) makes for each port call, whatever store runs underneath:
 * a GET per read, a PUT or a conditional PUT per write, a LIST per 1,000 keys listed, a DELETE per 1,000 keys deleted,
 * and for uploads, as the adapter buffers parts of {@code partBytes}: a committed object under one part is one PUT, a
 * larger one a multipart create, its parts and a complete; a staged one is always create and parts, completed (or
 * aborted) later. Delegates everything.
 */
final class CountingObjectStore implements ObjectStore {
    static final long PART_BYTES = 8L * 1024 * 1024;

    private final ObjectStore delegate;
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    CountingObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    /** Requests by kind since the last {@link #reset()}, in name order. */
    Map<String, Long> calls() {
        Map<String, Long> copy = new TreeMap<>();
        calls.forEach((name, count) -> copy.put(name, count.get()));
        return copy;
    }

    void reset() {
        calls.clear();
    }

    /** All requests of a {@link #calls()} answer. */
    static long total(Map<String, Long> calls) {
        return calls.values().stream().mapToLong(Long::longValue).sum();
    }

    private void count(String request, long n) {
        if (n > 0) {
            calls.computeIfAbsent(request, k -> new AtomicLong()).addAndGet(n);
        }
    }

    private static long pages(long items) {
        return Math.max(1, (items + 999) / 1000);
    }

    @Override
    public Optional<StoredObject> get(String key) {
        count("GET", 1);
        return delegate.get(key);
    }

    @Override
    public void put(String key, byte[] content) {
        count("PUT", 1);
        delegate.put(key, content);
    }

    @Override
    public WriteOutcome putIfAbsent(String key, byte[] content) {
        count("PUT conditional", 1);
        return delegate.putIfAbsent(key, content);
    }

    @Override
    public WriteOutcome putIfMatch(String key, byte[] content, String expectedEtag) {
        count("PUT conditional", 1);
        return delegate.putIfMatch(key, content, expectedEtag);
    }

    @Override
    public Upload startUpload(String key) {
        Upload upload = delegate.startUpload(key);
        return new Upload(key) {
            private long size;

            @Override
            protected void append(byte[] bytes, int offset, int length) throws IOException {
                size += length;
                upload.write(bytes, offset, length);
            }

            @Override
            protected void publish() throws IOException {
                if (size < PART_BYTES) {
                    count("PUT", 1);
                } else {
                    count("multipart create", 1);
                    count("multipart part", (size + PART_BYTES - 1) / PART_BYTES);
                    count("multipart complete", 1);
                }
                upload.commit();
            }

            @Override
            protected PendingUpload keep() throws IOException {
                count("multipart create", 1);
                count("multipart part", Math.max(1, (size + PART_BYTES - 1) / PART_BYTES));
                return upload.stage();
            }

            @Override
            protected void discard() throws IOException {
                if (size >= PART_BYTES) {
                    count("multipart create", 1);
                    count("multipart part", size / PART_BYTES);
                    count("multipart abort", 1);
                }
                upload.close();
            }
        };
    }

    @Override
    public void completeUpload(PendingUpload upload) {
        count("multipart complete", 1);
        delegate.completeUpload(upload);
    }

    @Override
    public void abortUpload(PendingUpload upload) {
        count("multipart abort", 1);
        delegate.abortUpload(upload);
    }

    @Override
    public List<ObjectSummary> list(String prefix) {
        List<ObjectSummary> listed = delegate.list(prefix);
        count("LIST", pages(listed.size()));
        return listed;
    }

    @Override
    public void delete(Collection<String> keys) {
        count("DELETE", pages(keys.size()));
        delegate.delete(keys);
    }

    @Override
    public String location(String keyPrefix) {
        return delegate.location(keyPrefix);
    }
}
