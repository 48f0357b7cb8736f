package dev.soi.core.domain;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.time.Clock;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The run ids one process hands out: each from the clock, and each sorting after the one before, even when two runs start
 * in the same millisecond or the clock steps back. The newest-run records keep the id that sorts last, so a run that
 * sorted before the run it followed would never be recorded (its latest version built and swapped in, yet not current).
 */
public final class RunIds implements Supplier<RunId> {
    private final Clock clock;
    private final RandomGenerator random;
    private RunId last;

    public RunIds(Clock clock, RandomGenerator random) {
        this.clock = requireNonNull(clock, "clock");
        this.random = requireNonNull(random, "random");
    }

    @Override
    public synchronized RunId get() {
        last = RunId.generateAfter(clock.instant(), last, random);
        return last;
    }
}
