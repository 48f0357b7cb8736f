package dev.soi.batch.lambda;

import dev.soi.core.port.InvocationDeadline;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The current invocation's end, less a margin: {@link BatchCommandHandler} sets it from
 * {@code Context.getRemainingTimeInMillis()} when an invocation starts and clears it when it ends, and the Athena
 * engine caps its waits at it. So a CTAS still running when the function is about to be killed is stopped
 * ({@code StopQueryExecution}) and the run fails cleanly, instead of the query writing on after the function is
 * gone (Athena's own statement timeout is 30 minutes; Lambda's limit is 15). Thread-safe.
 */
public final class LambdaInvocationDeadline implements InvocationDeadline {
    /**
     * Time kept back for what follows a stopped query: the failure is journaled, the lease released and the
     * summary logged, all of which are a few S3 calls.
     */
    public static final Duration MARGIN = Duration.ofSeconds(30);

    private final Supplier<Instant> clock;
    private volatile Instant deadline;

    public LambdaInvocationDeadline(Supplier<Instant> clock) {
        this.clock = clock;
    }

    /** Starts an invocation that has {@code remainingMillis} left. */
    public void begin(long remainingMillis) {
        deadline = clock.get().plusMillis(remainingMillis).minus(MARGIN);
    }

    public void end() {
        deadline = null;
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }
}
