package dev.soi.core.port;

import static dev.soi.core.domain.Checks.requireNonNull;

/** An event as EventBridge carries it: a source, a detail type and a JSON detail object. */
public record DomainEvent(String source, String detailType, String detailJson) {
    public DomainEvent {
        requireNonNull(source, "source");
        requireNonNull(detailType, "detail type");
        requireNonNull(detailJson, "detail");
    }
}
