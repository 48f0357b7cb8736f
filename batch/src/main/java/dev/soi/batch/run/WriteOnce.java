package dev.soi.batch.run;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The result of one step, written once by that step and read by the steps after it, which get it by constructor. A read
 * before the write, or a second write, is a wiring mistake and fails at once, naming the result. Thread-safe.
 */
public final class WriteOnce<T> {
    private final String name;
    private final AtomicReference<T> value = new AtomicReference<>();

    public WriteOnce(String name) {
        this.name = requireNonNull(name, "name");
    }

    public void set(T result) {
        requireNonNull(result, name);
        if (!value.compareAndSet(null, result)) {
            throw new IllegalStateException(name + " was written twice; one step writes it");
        }
    }

    /** The result; only a step that runs after the writer may ask. */
    public T get() {
        T result = value.get();
        if (result == null) {
            throw new IllegalStateException(name + " was read before the step that writes it ran");
        }
        return result;
    }

    /** The result if its step ran: for what reports on any path, such as the summary and the lifecycle. */
    public Optional<T> optional() {
        return Optional.ofNullable(value.get());
    }

    /** The name and whether it was written; never the value, which may be a whole drain. */
    @Override
    public String toString() {
        return name + (value.get() == null ? " (not written)" : " (written)");
    }
}
