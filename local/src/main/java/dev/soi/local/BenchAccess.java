package dev.soi.local;

import java.io.PrintStream;
import java.io.OutputStream;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the local stack on a given home without the launcher's banner, for the benchmarks. */
public final class BenchAccess {
    private BenchAccess() {}

    public static ConfigurableApplicationContext start(LocalHome home) {
        LauncherSettings env = LauncherSettings.from(System.getenv());
        LauncherSettings settings = new LauncherSettings(home, env.port(), env.portSet(), env.schedule(), env.registry());
        return LocalCommand.startStack(settings, StackLock.acquire(home), new PrintStream(OutputStream.nullOutputStream()));
    }
}
