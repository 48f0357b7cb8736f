package dev.soi.core.testing;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.PendingUpload;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.WriteOutcome;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An object store in memory, behaving as the port's contract says (and {@code InMemoryObjectStoreTest} runs
 * {@code ObjectStoreContract} over it): conditional writes, etags that change on every write, uploads invisible
 * until committed (or staged and then completed) and discarded on close, listing in key order. The one in-memory store
 * of every module's tests. Thread-safe; no static state.
 */
public final class InMemoryObjectStore implements ObjectStore {
    public static final String ROOT = "/memory/";

    private record Entry(byte[] content, String etag, Instant modified) {}

    private record Staged(String key, byte[] content) {}

    private final ConcurrentSkipListMap<String, Entry> objects = new ConcurrentSkipListMap<>();
    private final Map<String, Staged> staged = new ConcurrentHashMap<>();
    private final AtomicLong uploads = new AtomicLong();
    private final AtomicLong versions = new AtomicLong();
    private final Clock clock;

    /** A store whose objects are stamped with {@code clock}'s time (their last-modified in {@link #list}). */
    public InMemoryObjectStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    public InMemoryObjectStore() {
        this(Clock.systemUTC());
    }

    /** Every object now in the store, by key, in key order: for asserting exactly what a test left behind. */
    public SortedMap<String, StoredObject> objects() {
        TreeMap<String, StoredObject> copy = new TreeMap<>();
        objects.forEach((key, entry) -> copy.put(key, new StoredObject(key, entry.content().clone(), entry.etag())));
        return Collections.unmodifiableSortedMap(copy);
    }

    /** Removes every object, for tests that share one store across cases. */
    public void clear() {
        objects.clear();
        staged.clear();
    }

    /** The keys of uploads staged and neither completed nor aborted yet, sorted: what an aborted run must not leave. */
    public List<String> pendingUploads() {
        return staged.values().stream().map(Staged::key).sorted().toList();
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
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        return new Upload(key) {
            @Override
            protected void append(byte[] bytes, int offset, int length) {
                buffer.write(bytes, offset, length);
            }

            @Override
            protected void publish() {
                put(key, buffer.toByteArray());
            }

            @Override
            protected PendingUpload keep() {
                String id = "upload-" + uploads.incrementAndGet();
                byte[] content = buffer.toByteArray();
                staged.put(id, new Staged(key, content));
                return new PendingUpload(key, id, List.of(), content.length);
            }

            @Override
            protected void discard() {
                buffer.reset();
            }
        };
    }

    @Override
    public synchronized void completeUpload(PendingUpload upload) {
        checkKey(upload.key());
        Staged pending = staged.remove(upload.uploadId());
        if (pending != null) {
            objects.put(upload.key(), entry(pending.content()));
            return;
        }
        Entry there = objects.get(upload.key());
        if (there == null || there.content().length != upload.size()) {
            throw new ObjectStoreException("upload " + upload.uploadId() + " of " + upload.key() + " is gone and "
                    + (there == null ? "no object is there" : "the object there has another size") + ": it was aborted");
        }
    }

    @Override
    public void abortUpload(PendingUpload upload) {
        staged.remove(upload.uploadId());
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
            throw new IllegalArgumentException("invalid object key: " + key);
        }
    }
}
