package dev.soi.core.port;

/** The queue could not do what was asked; the message says which entries and why. Callers may retry. */
public class QueueException extends RuntimeException {
    public QueueException(String message) {
        super(message);
    }

    public QueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
