package dev.soi.core.port;

/** The event bus refused an event; the message carries the bus's error code and text. */
public class EventPublishException extends RuntimeException {
    public EventPublishException(String message) {
        super(message);
    }

    public EventPublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
