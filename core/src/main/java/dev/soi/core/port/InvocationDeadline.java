package dev.soi.core.port;

import java.time.Instant;
import java.util.Optional;

/**
 * An outer limit on how long the caller can still wait, such as a Lambda invocation's remaining time less a
 * margin. The Athena adapter caps every wait at it and stops its query when it is reached, so no
 * statement keeps running (a CTAS writing into S3) after the process that started it is gone.
 * Implementations are thread-safe; {@link #NONE} has no limit.
 */
@FunctionalInterface
public interface InvocationDeadline {
    InvocationDeadline NONE = Optional::empty;

    /** The instant every wait must end by, or empty when only the statement timeout applies. */
    Optional<Instant> deadline();
}
