package dev.soi.core.readmodel;

/** An object of the read model that is not what the batch writes there: damaged, truncated, or of another kind. */
public final class UnreadableReadModelException extends IllegalStateException {
    public UnreadableReadModelException(String key, String why, Throwable cause) {
        super("the read-model object " + key + " cannot be read (" + why + "); rebuild-latest --full republishes the read model",
                cause);
    }
}
