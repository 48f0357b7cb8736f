package dev.soi.batch.run;

import java.util.Arrays;

/**
 * The batch's commands. Those that change data run as a Spring Batch job of their own ({@code MaterializeJobs} says
 * which steps); {@code status} and {@code dlq-list} only read, and plain services answer them.
 */
public enum Command {
    RUN("run"),
    REBUILD_LATEST("rebuild-latest"),
    BOOTSTRAP("bootstrap"),
    DLQ_LIST("dlq-list"),
    DLQ_REDRIVE("dlq-redrive"),
    STATUS("status"),
    COMPACT("compact");

    private final String label;

    Command(String label) {
        this.label = label;
    }

    /** The CLI and Lambda name of the command, also the Spring Batch job name. */
    public String label() {
        return label;
    }

    /** The command named {@code label}; an unknown name is an {@link IllegalArgumentException} listing the known ones. */
    public static Command of(String label) {
        return Arrays.stream(values()).filter(c -> c.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown command " + label
                        + "; use run, rebuild-latest [--full], bootstrap, compact [--through DATE], dlq-list, dlq-redrive or status"));
    }
}
