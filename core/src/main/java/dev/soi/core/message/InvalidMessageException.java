package dev.soi.core.message;

/**
 * A queue message that can never be applied (bad JSON, unknown schema version, invalid content). The
 * batch moves such a message to the dead-letter queue with {@link #getMessage()} as the reason.
 */
public class InvalidMessageException extends RuntimeException {
    public InvalidMessageException(String message) {
        super(message);
    }

    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
