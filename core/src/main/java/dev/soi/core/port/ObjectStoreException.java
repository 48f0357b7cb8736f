package dev.soi.core.port;

/** The object store failed; the message names the keys involved. */
public class ObjectStoreException extends RuntimeException {
    public ObjectStoreException(String message) {
        super(message);
    }

    public ObjectStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
