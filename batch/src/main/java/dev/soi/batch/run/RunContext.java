package dev.soi.batch.run;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.ManifestJournal;
import dev.soi.core.domain.RunId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * What one command execution is, fixed before its first step: the command, the run id, when it started, what it was
 * asked to do, the journal it reads and writes manifests through (one per execution: it caches what it read), and who
 * hears of each unit of work its long steps finish ({@code ./soi} prints it as it goes). Every step gets it by
 * constructor; nothing in it changes while the run goes on.
 */
public record RunContext(Command command, RunId runId, Instant startedAt, long startedNanos, Parameters parameters,
                         ManifestJournal journal, ProgressListener progress) {

    /** A context whose progress only the log hears. */
    public RunContext(Command command, RunId runId, Instant startedAt, long startedNanos, Parameters parameters,
                      ManifestJournal journal) {
        this(command, runId, startedAt, startedNanos, parameters, journal, ProgressListener.NONE);
    }

    /**
     * What the command was asked to do.
     *
     * @param full           {@code rebuild-latest --full}: every partition in the store, the whole manifest lookback
     * @param compactThrough {@code compact --through}: the last day to compact, or null for the last closed day
     * @param submissionIds  {@code dlq-redrive}: the submissions to send back ({@code *} for all)
     */
    public record Parameters(boolean full, LocalDate compactThrough, List<String> submissionIds) {
        public static final Parameters NONE = new Parameters(false, null, List.of());

        public Parameters {
            submissionIds = List.copyOf(submissionIds);
        }
    }

    public RunContext {
        requireNonNull(command, "command");
        requireNonNull(runId, "run id");
        requireNonNull(startedAt, "started at");
        requireNonNull(parameters, "parameters");
        requireNonNull(journal, "manifest journal");
        requireNonNull(progress, "progress listener");
    }

    public boolean full() {
        return parameters.full();
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** {@code command runId}, how every log line of the run starts. */
    @Override
    public String toString() {
        return command.label() + " " + runId;
    }
}
