package dev.soi.core.write;

import dev.soi.core.port.ObjectStoreException;

/**
 * A write may or may not have landed, and the object could not be read back to tell: whoever sees this must change
 * nothing on the strength of what it believed before the write (no clean-up, no roll-back). The next run reads the
 * object and goes on from what it finds there.
 */
public final class WriteOutcomeUnknownException extends ObjectStoreException {
    public WriteOutcomeUnknownException(String key, String writer, RuntimeException writeFailure, RuntimeException readFailure) {
        super("the outcome of " + writer + "'s write of " + key + " is unknown: "
                + (writeFailure == null ? "the store refused its condition" : "the write failed (" + writeFailure.getMessage() + ")")
                + ", and reading " + key + " back failed too (" + readFailure.getMessage() + "). Nothing was cleaned up after it; "
                + "the next run reads " + key + " and goes on from what it finds", readFailure);
        if (writeFailure != null) {
            addSuppressed(writeFailure);
        }
    }
}
