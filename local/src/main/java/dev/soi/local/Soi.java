package dev.soi.local;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./soi} command line (picocli). {@code local} starts the stack; {@code run},
 * {@code rebuild-latest} and {@code bootstrap} ask a running stack; {@code token} and {@code query} work on
 * {@code SOI_HOME} directly. Every command prints a sentence first, then its JSON ({@code --json}: the JSON
 * alone); errors are one line on stderr. Settings come from the {@code SOI_*} variables, checked before
 * anything starts ({@link LauncherSettings}).
 */
@Command(name = "./soi", mixinStandardHelpOptions = true, version = "security-of-interest local launcher",
        description = "The security-of-interest local stack and its commands.",
        subcommands = {LocalCommand.class, StackCommands.Run.class, StackCommands.RebuildLatest.class, StackCommands.Bootstrap.class,
                StackCommands.Compact.class, StackCommands.Status.class, StackCommands.Dlq.class, TokenCommand.class, QueryCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%n", exitCodeOnInvalidInput = Soi.USAGE,
        footer = {"Environment: SOI_HOME (./.soi), SOI_PORT (8080), SOI_SCHEDULE (60s; a number needs a unit: 5s, 2m, 1h),",
                "  SOI_BUSINESS_UNITS (AE,CMF).",
                "Exit codes: 0 done; 1 the command failed (no stack answers, the run failed,",
                "  the query was refused or failed); 2 usage (unknown command or flag, bad value,",
                "  bad SOI_* setting); 3 SOI_HOME (no stack state there, or another stack already",
                "  runs on it); 4 status found a problem that needs an operator (one line each)."})
public final class Soi implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int HOME = 3;
    /** {@code status} answered, and something needs an operator: each problem is a line naming its repair. */
    static final int NEEDS_OPERATOR = 4;
    /** What {@link #run} returns for {@code local}: the stack keeps running, the JVM must not exit. */
    static final int KEEP_RUNNING = -1;

    final Map<String, String> env;
    final PrintStream out;
    final PrintStream err;

    Soi(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        if (status != KEEP_RUNNING) {
            System.exit(status);
        }
    }

    /** Runs a command; returns its exit code, or {@link #KEEP_RUNNING} when it started the stack. */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Soi soi = new Soi(env, out, err);
        CommandLine cli = new CommandLine(soi)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    if (e instanceof CliException refusal) {
                        err.println("soi: " + refusal.getMessage());
                        return refusal.exitCode();
                    }
                    // No stack trace for a person: the one line says what failed; SOI_DEBUG=1 shows the rest.
                    err.println("soi: " + command.getCommandName() + " failed: " + oneLine(e));
                    if (env.containsKey("SOI_DEBUG")) {
                        e.printStackTrace(err);
                    }
                    return FAILED;
                });
        return cli.execute(args);
    }

    /** {@code ./soi} alone: the usage, and exit 2, since no command was given. */
    @Override
    public Integer call() {
        CommandLine.usage(this, err);
        return USAGE;
    }

    LauncherSettings settings() {
        return LauncherSettings.from(env);
    }

    /** The home a client command works on: one a stack has run in, or a refusal naming it. */
    LocalHome stateHome() {
        LocalHome home = settings().home();
        try {
            return home.requireState();
        } catch (IllegalStateException e) {
            throw new CliException(HOME, e.getMessage());
        }
    }

    static String oneLine(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && (cause.getMessage() == null || cause.getMessage().isBlank())) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }
}
