package dev.soi.core.testing;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.PendingUpload;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.WriteOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A store that loses answers: around a real store, a chosen write fails in one of the three ways a remote store's
 * write can fail ({@link Fault}). Every write is recorded, so a test can list the writes a run makes and arm a fault
 * at any of them. Reads are passed through untouched. Thread-safe; no static state.
 */
public final class FaultyObjectStore implements ObjectStore {

    /** How a write fails. */
    public enum Fault {
        /** The write lands, then the call fails: a timeout, a reset connection or a 500 after the store applied it. */
        LANDS_THEN_FAILS,
        /**
         * The write lands, its answer is lost, and the client's retry answers: for a conditional write the retry finds
         * its own write and fails its precondition (412); an upload's completion is called again; any other write is
         * simply applied again.
         */
        LANDS_THEN_RETRY_ANSWERS,
        /** The call fails before the write reaches the store. */
        FAILS_BEFORE_WRITE
    }

    /** What a write does to the store. */
    public enum Operation { PUT, PUT_IF_ABSENT, PUT_IF_MATCH, COMMIT_UPLOAD, COMPLETE_UPLOAD, ABORT_UPLOAD, DELETE }

    /** One write as it reached this store; {@code content} is empty for uploads and deletes. */
    public record Write(Operation operation, String key, byte[] content) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return operation + " " + key;
        }
    }

    /** A fault waiting for its write; {@link #fired()} counts the writes it failed. */
    public static final class Armed {
        private final Fault fault;
        private final Predicate<Write> at;
        private final boolean every;
        private final AtomicInteger fired = new AtomicInteger();
        private final List<Write> hit = new CopyOnWriteArrayList<>();
        private volatile boolean thenUnreadable;

        private Armed(Fault fault, Predicate<Write> at, boolean every) {
            this.fault = fault;
            this.at = at;
            this.every = every;
        }

        public int fired() {
            return fired.get();
        }

        /** The writes this fault failed, in order. */
        public List<Write> hit() {
            return List.copyOf(hit);
        }

        public Fault fault() {
            return fault;
        }

        /** When the fault fires, every read fails from then on, until {@link FaultyObjectStore#unreadable(boolean)}. */
        public Armed leavingStoreUnreadable() {
            thenUnreadable = true;
            return this;
        }
    }

    private final ObjectStore delegate;
    private final List<Write> writes = new CopyOnWriteArrayList<>();
    private final List<Armed> armed = new CopyOnWriteArrayList<>();
    private volatile boolean unreadable;

    public FaultyObjectStore(ObjectStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate is null");
    }

    /** Fails the next write that matches {@code at}, once. */
    public Armed arm(Fault fault, Predicate<Write> at) {
        Armed a = new Armed(fault, at, false);
        armed.add(a);
        return a;
    }

    /** Fails every write that matches {@code at}, until {@link #disarm()}. */
    public Armed armEvery(Fault fault, Predicate<Write> at) {
        Armed a = new Armed(fault, at, true);
        armed.add(a);
        return a;
    }

    /** Removes every armed fault. */
    public void disarm() {
        armed.clear();
    }

    /** While set, every read ({@link #get}, {@link #list}) fails as an unreachable store's would. */
    public void unreadable(boolean unreadable) {
        this.unreadable = unreadable;
    }

    /** Every write seen since the last {@link #clearWrites()}, in the order they reached this store. */
    public List<Write> writes() {
        return List.copyOf(writes);
    }

    public void clearWrites() {
        writes.clear();
    }

    public ObjectStore delegate() {
        return delegate;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        checkReadable(key);
        return delegate.get(key);
    }

    @Override
    public void put(String key, byte[] content) {
        intercept(new Write(Operation.PUT, key, content.clone()), () -> {
            delegate.put(key, content);
            return null;
        });
    }

    @Override
    public WriteOutcome putIfAbsent(String key, byte[] content) {
        return intercept(new Write(Operation.PUT_IF_ABSENT, key, content.clone()), () -> delegate.putIfAbsent(key, content));
    }

    @Override
    public WriteOutcome putIfMatch(String key, byte[] content, String expectedEtag) {
        return intercept(new Write(Operation.PUT_IF_MATCH, key, content.clone()), () -> delegate.putIfMatch(key, content, expectedEtag));
    }

    @Override
    public Upload startUpload(String key) {
        Upload upload = delegate.startUpload(key);
        return new Upload(key) {
            @Override
            protected void append(byte[] bytes, int offset, int length) throws IOException {
                upload.write(bytes, offset, length);
            }

            @Override
            protected void publish() throws IOException {
                try {
                    intercept(new Write(Operation.COMMIT_UPLOAD, key, new byte[0]), () -> {
                        try {
                            upload.commit();
                        } catch (IOException e) {
                            throw new ObjectStoreException("commit of upload " + key + " failed", e);
                        }
                        return null;
                    });
                } catch (ObjectStoreException e) {
                    throw new IOException(e.getMessage(), e);
                }
            }

            @Override
            protected PendingUpload keep() throws IOException {
                return upload.stage();
            }

            @Override
            protected void discard() throws IOException {
                upload.close();
            }
        };
    }

    @Override
    public void completeUpload(PendingUpload upload) {
        intercept(new Write(Operation.COMPLETE_UPLOAD, upload.key(), new byte[0]), () -> {
            delegate.completeUpload(upload);
            return null;
        });
    }

    @Override
    public void abortUpload(PendingUpload upload) {
        intercept(new Write(Operation.ABORT_UPLOAD, upload.key(), new byte[0]), () -> {
            delegate.abortUpload(upload);
            return null;
        });
    }

    @Override
    public List<ObjectSummary> list(String prefix) {
        checkReadable(prefix);
        return delegate.list(prefix);
    }

    private void checkReadable(String key) {
        if (unreadable) {
            throw new ObjectStoreException("simulated: the store cannot be read (" + key + ")");
        }
    }

    @Override
    public void delete(Collection<String> keys) {
        List<String> all = new ArrayList<>(keys);
        intercept(new Write(Operation.DELETE, all.isEmpty() ? "" : all.get(0), new byte[0]), () -> {
            delegate.delete(all);
            return null;
        });
    }

    @Override
    public String location(String keyPrefix) {
        return delegate.location(keyPrefix);
    }

    private interface Call<T> {
        T run();
    }

    private <T> T intercept(Write write, Call<T> call) {
        writes.add(write);
        Armed fault = take(write);
        if (fault == null) {
            return call.run();
        }
        switch (fault.fault) {
            case FAILS_BEFORE_WRITE -> throw new ObjectStoreException("simulated: " + write + " failed before reaching the store");
            case LANDS_THEN_FAILS -> {
                call.run();
                throw new ObjectStoreException("simulated: " + write + " landed, then its answer was lost");
            }
            case LANDS_THEN_RETRY_ANSWERS -> {
                call.run();
                if (write.operation() == Operation.COMMIT_UPLOAD) {
                    return null; // an upload's retried completion finds it complete
                }
                return call.run();
            }
            default -> throw new IllegalStateException("unknown fault " + fault.fault);
        }
    }

    private synchronized Armed take(Write write) {
        for (Armed a : armed) {
            if (a.at.test(write)) {
                a.fired.incrementAndGet();
                a.hit.add(write);
                if (!a.every) {
                    armed.remove(a);
                }
                if (a.thenUnreadable) {
                    unreadable = true;
                }
                return a;
            }
        }
        return null;
    }
}
