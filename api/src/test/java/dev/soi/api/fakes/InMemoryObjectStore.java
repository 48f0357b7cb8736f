package dev.soi.api.fakes;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.WriteOutcome;
import java.io.ByteArrayOutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** Objects in a map; conditional writes are atomic per key, as S3's are. */
public final class InMemoryObjectStore implements ObjectStore {
    private final Map<String, StoredObject> objects = new ConcurrentSkipListMap<>();
    private final AtomicLong versions = new AtomicLong();

    public Map<String, StoredObject> objects() {
        return Map.copyOf(objects);
    }

    public void clear() {
        objects.clear();
    }

    @Override
    public Optional<StoredObject> get(String key) {
        return Optional.ofNullable(objects.get(key));
    }

    @Override
    public void put(String key, byte[] content) {
        objects.put(key, object(key, content));
    }

    @Override
    public WriteOutcome putIfAbsent(String key, byte[] content) {
        return objects.putIfAbsent(key, object(key, content)) == null ? WriteOutcome.WRITTEN : WriteOutcome.PRECONDITION_FAILED;
    }

    @Override
    public WriteOutcome putIfMatch(String key, byte[] content, String expectedEtag) {
        StoredObject[] replaced = new StoredObject[1];
        objects.computeIfPresent(key, (k, current) -> {
            if (current.etag().equals(expectedEtag)) {
                replaced[0] = object(key, content);
                return replaced[0];
            }
            return current;
        });
        return replaced[0] != null ? WriteOutcome.WRITTEN : WriteOutcome.PRECONDITION_FAILED;
    }

    @Override
    public Upload startUpload(String key) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        return new Upload() {
            private boolean done;

            @Override
            public void write(int b) {
                buffer.write(b);
            }

            @Override
            public void commit() {
                done = true;
                put(key, buffer.toByteArray());
            }

            @Override
            public void close() {
                done = true;
            }
        };
    }

    @Override
    public List<ObjectSummary> list(String prefix) {
        throw new UnsupportedOperationException("the API never lists");
    }

    @Override
    public void delete(Collection<String> keys) {
        keys.forEach(objects::remove);
    }

    @Override
    public String location(String keyPrefix) {
        return "/store/" + keyPrefix;
    }

    private StoredObject object(String key, byte[] content) {
        return new StoredObject(key, content.clone(), "v" + versions.incrementAndGet());
    }
}
