package dev.soi.batch.testing;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.WriteOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An object store in memory, behaving as the port's contract says: conditional writes, etags that change on
 * every write, uploads invisible until committed and discarded on close, listing in key order. Thread-safe.
 */
public final class InMemoryObjectStore implements ObjectStore {
    public static final String ROOT = "/memory/";

    private record Entry(byte[] content, String etag, Instant modified) {}

    private final ConcurrentSkipListMap<String, Entry> objects = new ConcurrentSkipListMap<>();
    private final AtomicLong versions = new AtomicLong();
    private final Clock clock;

    public InMemoryObjectStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        checkKey(key);
        Entry entry = objects.get(key);
        return entry == null ? Optional.empty() : Optional.of(new StoredObject(key, entry.content().clone(), entry.etag()));
    }

    @Override
    public synchronized void put(String key, byte[] content) {
        checkKey(key);
        objects.put(key, entry(content));
    }

    @Override
    public synchronized WriteOutcome putIfAbsent(String key, byte[] content) {
        checkKey(key);
        if (objects.containsKey(key)) {
            return WriteOutcome.PRECONDITION_FAILED;
        }
        objects.put(key, entry(content));
        return WriteOutcome.WRITTEN;
    }

    @Override
    public synchronized WriteOutcome putIfMatch(String key, byte[] content, String expectedEtag) {
        checkKey(key);
        Entry current = objects.get(key);
        if (current == null || !current.etag().equals(expectedEtag)) {
            return WriteOutcome.PRECONDITION_FAILED;
        }
        objects.put(key, entry(content));
        return WriteOutcome.WRITTEN;
    }

    @Override
    public Upload startUpload(String key) {
        checkKey(key);
        return new Upload() {
            private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            private boolean committed;
            private boolean closed;

            @Override
            public void write(int b) throws IOException {
                checkOpen();
                buffer.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                checkOpen();
                buffer.write(b, off, len);
            }

            @Override
            public void commit() throws IOException {
                checkOpen();
                put(key, buffer.toByteArray());
                committed = true;
            }

            @Override
            public void close() {
                closed = true;
            }

            private void checkOpen() throws IOException {
                if (committed || closed) {
                    throw new IOException("upload of " + key + " is " + (committed ? "committed" : "closed"));
                }
            }
        };
    }

    @Override
    public List<ObjectSummary> list(String prefix) {
        return objects.subMap(prefix, true, prefix + Character.MAX_VALUE, false).entrySet().stream()
                .map(e -> new ObjectSummary(e.getKey(), e.getValue().content().length, e.getValue().modified()))
                .toList();
    }

    @Override
    public synchronized void delete(Collection<String> keys) {
        keys.forEach(objects::remove);
    }

    @Override
    public String location(String keyPrefix) {
        return ROOT + keyPrefix;
    }

    /** The key prefix a location of this store points at. */
    public static String keyOf(String location) {
        if (!location.startsWith(ROOT)) {
            throw new IllegalArgumentException("not a location of the in-memory store: " + location);
        }
        return location.substring(ROOT.length());
    }

    private Entry entry(byte[] content) {
        return new Entry(content.clone(), "v" + versions.incrementAndGet(), clock.instant());
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/")) {
            throw new ObjectStoreException("invalid key: " + key);
        }
    }
}
