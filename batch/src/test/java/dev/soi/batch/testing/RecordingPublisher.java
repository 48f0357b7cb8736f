package dev.soi.batch.testing;

import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.EventPublisher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every published event, in order. Thread-safe. */
public final class RecordingPublisher implements EventPublisher {
    private final List<DomainEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void publish(DomainEvent event) {
        events.add(event);
    }

    public List<DomainEvent> events() {
        return List.copyOf(events);
    }
}
