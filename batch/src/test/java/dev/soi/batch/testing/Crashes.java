package dev.soi.batch.testing;

import dev.soi.batch.run.FaultInjector;
import dev.soi.batch.run.FaultPoint;

/** Simulated crashes: an {@link Error} at a fault point, which the run treats as its process dying there. */
public final class Crashes {
    private Crashes() {}

    /** Thrown by {@link #at}: an Error, so the run cleans nothing up and keeps its lease, as a dead process would. */
    public static final class SimulatedCrash extends Error {
        public SimulatedCrash(FaultPoint point) {
            super("simulated crash at " + point.label());
        }
    }

    /** A crash at {@code point}; none when {@code point} is null. */
    public static FaultInjector at(FaultPoint point) {
        if (point == null) {
            return FaultInjector.NONE;
        }
        return at -> {
            if (at == point) {
                throw new SimulatedCrash(point);
            }
        };
    }
}
