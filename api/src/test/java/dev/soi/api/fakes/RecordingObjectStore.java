package dev.soi.api.fakes;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.PendingUpload;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.WriteOutcome;
import dev.soi.core.testing.InMemoryObjectStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The API's object store in tests: core's in-memory store, which passes the {@code ObjectStoreContract}, recording the
 * keys the API reads, and able to fail every call with the port's failure, or with one the port does not declare.
 */
public final class RecordingObjectStore implements ObjectStore {
    private final InMemoryObjectStore delegate = new InMemoryObjectStore();
    private final List<String> gets = new ArrayList<>();
    private volatile boolean failing;
    private volatile RuntimeException broken;

    /** Empty, nothing recorded, every switch off. */
    public synchronized void clear() {
        delegate.clear();
        gets.clear();
        failing = false;
        broken = null;
    }

    /** Keys read with {@link #get} since the last {@link #clear()} or {@link #forgetGets()}, in order. */
    public synchronized List<String> gets() {
        return List.copyOf(gets);
    }

    public synchronized void forgetGets() {
        gets.clear();
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** Every call throws this: a failure the port does not declare. */
    public void broken(RuntimeException error) {
        this.broken = error;
    }

    public SortedMap<String, StoredObject> objects() {
        return delegate.objects();
    }

    private void check(String call) {
        if (broken != null) {
            throw broken;
        }
        if (failing) {
            throw new ObjectStoreException(call + " failed: the store is unreachable (test switch)");
        }
    }

    @Override
    public Optional<StoredObject> get(String key) {
        synchronized (this) {
            gets.add(key);
        }
        check("GET " + key);
        return delegate.get(key);
    }

    @Override
    public void put(String key, byte[] content) {
        check("PUT " + key);
        delegate.put(key, content);
    }

    @Override
    public WriteOutcome putIfAbsent(String key, byte[] content) {
        check("PUT " + key);
        return delegate.putIfAbsent(key, content);
    }

    @Override
    public WriteOutcome putIfMatch(String key, byte[] content, String expectedEtag) {
        check("PUT " + key);
        return delegate.putIfMatch(key, content, expectedEtag);
    }

    @Override
    public Upload startUpload(String key) {
        check("upload " + key);
        return delegate.startUpload(key);
    }

    @Override
    public void completeUpload(PendingUpload upload) {
        check("complete upload " + upload);
        delegate.completeUpload(upload);
    }

    @Override
    public void abortUpload(PendingUpload upload) {
        check("abort upload " + upload);
        delegate.abortUpload(upload);
    }

    @Override
    public List<ObjectSummary> list(String prefix) {
        check("LIST " + prefix);
        return delegate.list(prefix);
    }

    @Override
    public void delete(Collection<String> keys) {
        check("DELETE " + keys);
        delegate.delete(keys);
    }

    @Override
    public String location(String keyPrefix) {
        return delegate.location(keyPrefix);
    }
}
