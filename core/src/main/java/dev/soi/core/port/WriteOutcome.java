package dev.soi.core.port;

/** Result of a conditional write. S3 answers 412 (or 409 on a concurrent conditional write) for the second. */
public enum WriteOutcome {
    WRITTEN,
    PRECONDITION_FAILED
}
