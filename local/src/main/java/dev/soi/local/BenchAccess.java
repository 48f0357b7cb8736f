package dev.soi.local;

import java.io.PrintStream;
import java.io.OutputStream;
import java.time.Duration;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the local stack on a given home without the launcher's banner, for the benchmarks. */
public final class BenchAccess {
    private BenchAccess() {}

    /** The stack with the environment's settings ({@code SOI_SCHEDULE} and the rest), on any free port. */
    public static ConfigurableApplicationContext start(LocalHome home) {
        return start(home, LauncherSettings.from(System.getenv()).schedule());
    }

    /**
     * The stack with the environment's business units, this batch schedule and any free port: the launcher sets
     * schedule and port as system properties when it starts the stack, so properties set beforehand would be
     * overwritten, and a benchmark must not take the port of a stack someone runs beside it.
     */
    public static ConfigurableApplicationContext start(LocalHome home, Duration schedule) {
        LauncherSettings env = LauncherSettings.from(System.getenv());
        LauncherSettings settings = new LauncherSettings(home, 0, true, schedule, env.registry());
        return LocalCommand.startStack(settings, StackLock.acquire(home), new PrintStream(OutputStream.nullOutputStream()));
    }

    /** {@code SOI_SCHEDULE}'s parser, so a benchmark reads a schedule argument exactly as the launcher does. */
    public static Duration schedule(String text) {
        return LauncherSettings.schedule(text);
    }
}
