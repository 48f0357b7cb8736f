package dev.soi.core.testing;

import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.EventPublisher;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every published event, in order; refuses null as every publisher must. Thread-safe. */
public final class RecordingPublisher implements EventPublisher {
    private final List<DomainEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void publish(DomainEvent event) {
        events.add(Objects.requireNonNull(event, "event is null"));
    }

    public List<DomainEvent> events() {
        return List.copyOf(events);
    }
}
