package dev.soi.local;

import java.io.PrintStream;
import java.io.OutputStream;
import java.time.Duration;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the local stack on a given home without the launcher's banner, for the benchmarks. */
public final class BenchAccess {
    private BenchAccess() {}

    /** The stack with the environment's settings ({@code SOI_SCHEDULE} and the rest). */
    public static ConfigurableApplicationContext start(LocalHome home) {
        return start(home, LauncherSettings.from(System.getenv()).schedule());
    }

    /**
     * The stack with the environment's settings but this batch schedule: the launcher sets the schedule as a system
     * property when it starts the stack, so a property the caller set beforehand would be overwritten.
     */
    public static ConfigurableApplicationContext start(LocalHome home, Duration schedule) {
        LauncherSettings env = LauncherSettings.from(System.getenv());
        LauncherSettings settings = new LauncherSettings(home, env.port(), env.portSet(), schedule, env.registry());
        return LocalCommand.startStack(settings, StackLock.acquire(home), new PrintStream(OutputStream.nullOutputStream()));
    }

    /** {@code SOI_SCHEDULE}'s parser, so a benchmark reads a schedule argument exactly as the launcher does. */
    public static Duration schedule(String text) {
        return LauncherSettings.schedule(text);
    }
}
