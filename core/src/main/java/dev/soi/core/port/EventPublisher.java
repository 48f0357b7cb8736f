package dev.soi.core.port;

/**
 * Publishes domain events (EventBridge in AWS, a recording publisher locally). Delivery is
 * at-least-once from our side: a publish that throws may still have been delivered. Thread-safe.
 */
public interface EventPublisher {

    /** Publishes one event; throws {@link EventPublishException} if the bus refused it. */
    void publish(DomainEvent event);
}
