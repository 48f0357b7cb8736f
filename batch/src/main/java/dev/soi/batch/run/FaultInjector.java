package dev.soi.batch.run;

/**
 * Called by the run at each {@link FaultPoint}. Production uses {@link #NONE}; a crash test throws an
 * {@link Error} there. The run treats an {@code Error} as a process crash: it does not release its lease
 * and does no cleanup, exactly as if the JVM had died at that point.
 */
@FunctionalInterface
public interface FaultInjector {
    FaultInjector NONE = point -> {};

    void at(FaultPoint point);
}
