package dev.soi.batch.ops;

import dev.soi.batch.ingest.Drained;
import dev.soi.batch.ingest.Lease;
import dev.soi.batch.journal.Recovery;
import dev.soi.batch.latest.Rebuilt;
import dev.soi.batch.pit.Bootstrapped;
import dev.soi.batch.pit.Written;
import dev.soi.batch.run.Command;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepTimings;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * The {@link RunSummary} of a command: of a finished job execution from the results its steps left, its step timings
 * and its outcome, or of a read-only answer; led by a sentence that says what happened and what to do next.
 */
public final class Summaries {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Summaries() {}

    public static RunSummary of(JobExecution execution, RunResults results, Instant now) {
        RunContext run = results.context();
        List<Throwable> failures = execution.getAllFailureExceptions();
        RunSummary.Outcome outcome = execution.getStatus() == BatchStatus.FAILED || !failures.isEmpty() ? RunSummary.Outcome.FAILED
                : Lease.LEASE_HELD.equals(execution.getExitStatus().getExitCode()) ? RunSummary.Outcome.LEASE_HELD
                : RunSummary.Outcome.COMPLETED;
        String sentence = switch (outcome) {
            case LEASE_HELD -> leaseHeld(results, now);
            case FAILED -> failed(results, failures.isEmpty() ? "the job failed" : message(failures.get(0)));
            case COMPLETED -> completed(results);
        };
        Redriven redriven = results.redriven().optional().orElse(new Redriven(List.of(), List.of(), List.of(), false));
        return summary(sentence, results, outcome, StepTimings.finished(execution),
                failures.isEmpty() ? null : failures.get(0) + osCause(failures.get(0)), redriven.sent(), redriven.notFound());
    }

    /**
     * The summary of a read-only command ({@code status}, {@code dlq-list}): its sentence, the dead letters it listed, and
     * the time it took as its one step.
     */
    public static RunSummary answered(RunContext run, String sentence, List<DeadLetter> deadLetters) {
        RunResults results = RunResults.of(run);
        return summary(sentence, results, RunSummary.Outcome.COMPLETED, Map.of(run.command().label(), run.elapsedMillis()), null,
                deadLetters, List.of());
    }

    /** The summary of a read-only command that failed, worded as a failed job's. */
    public static RunSummary failedAnswer(RunContext run, RuntimeException failure) {
        RunResults results = RunResults.of(run);
        return summary(failed(results, message(failure)), results, RunSummary.Outcome.FAILED,
                Map.of(run.command().label(), run.elapsedMillis()), failure + osCause(failure), List.of(), List.of());
    }

    private static RunSummary summary(String sentence, RunResults results, RunSummary.Outcome outcome, Map<String, Long> steps,
                                      String failure, List<DeadLetter> deadLetters, List<String> notFound) {
        RunContext run = results.context();
        Drained drain = results.drainedOrNone();
        Written written = results.writtenOrNone();
        Recovery recovery = results.recoveryOrNone();
        return new RunSummary(sentence, run.runId().value(), run.command().label(), outcome, drain.received(),
                drain.toApply().size(), drain.duplicates(), drain.alreadyCommitted(), drain.deadLettered(), written.rows(),
                written.files().size(), written.bytes(), List.copyOf(results.unitsChanged()), drain.unitsOutsideRegistry(),
                results.registered().optional().orElse(0), recovery.rolledBack(), recovery.carriedRunIds(),
                results.rebuilt().optional().map(Rebuilt::version).orElse(null), results.expired().optional().orElse(0),
                steps, run.elapsedMillis(), failure, deadLetters, notFound, results.compaction(), results.readModel(),
                results.outOfOrder().optional().map(OutOfOrder::submissions).orElse(0L));
    }

    private static String leaseHeld(RunResults results, Instant now) {
        dev.soi.core.port.Lease holder = results.refused().optional().map(r -> r.holder()).orElse(null);
        if (holder == null) {
            return "Another run held the lease a moment ago, so this one did nothing; the next scheduled run will go ahead.";
        }
        String since = RunId.parse(holder.holder()).map(id -> " since " + STAMP.format(id.startedAt())).orElse("");
        long left = Math.max(0, Duration.between(now, holder.expiresAt()).toSeconds());
        return "Run " + holder.holder() + " holds the lease" + since + ", so this run did nothing. Its lease expires at "
                + STAMP.format(holder.expiresAt()) + " (in " + left + " s) unless it renews it: a live run renews it every few "
                + "seconds, a crashed one does not. The next scheduled run after that goes ahead.";
    }

    private static String failed(RunResults results, String reason) {
        if (results.manifest().current().map(e -> e.state().isCommitted()).orElse(false)) {
            return "The run committed " + results.drainedOrNone().toApply().size() + " submissions to the PIT table, then failed: "
                    + reason + " The latest table was not changed; the next run retries the rebuild, or run rebuild-latest now.";
        }
        return "The run failed before its commit, so no table changed: " + reason + " Its messages are back on the queue; "
                + "fix the cause and run again.";
    }

    private static String completed(RunResults results) {
        RunContext run = results.context();
        Drained drain = results.drainedOrNone();
        Recovery recovery = results.recoveryOrNone();
        StringBuilder out = new StringBuilder(opening(results));
        results.rebuilt().optional().ifPresentOrElse(rebuilt -> out.append(run.command() == Command.RUN ? "; the latest table" : ":")
                .append(" is now version ").append(rebuilt.version()).append(" (").append(rebuilt.rows()).append(" rows)."), () -> {
                    if (out.charAt(out.length() - 1) != '.') {
                        out.append('.');
                    }
                });
        results.latestBuild().optional().ifPresent(build -> out.append(" The full rebuild of the latest table into version ")
                .append(build.version()).append(" stopped for the invocation's time limit: ").append(build.progress())
                .append(". Nothing was published; run rebuild-latest --full again (or let the next scheduled run) carry it on."));
        results.outOfOrder().optional().ifPresent(late -> out.append(late.sentence()));
        results.readModelRepaired().optional().ifPresent(repair -> out.append(' ').append(repair));
        if (!recovery.carriedRunIds().isEmpty() && results.latestBuild().optional().isEmpty()) {
            out.append(" Finished the committed work of crashed run ").append(String.join(", ", recovery.carriedRunIds())).append('.');
        }
        if (!recovery.rolledBack().isEmpty()) {
            out.append(" Rolled back unfinished run ").append(String.join(", ", recovery.rolledBack()))
                    .append("; its submissions are applied from the queue.");
        }
        if (drain.deadLettered() > 0) {
            out.append(' ').append(drain.deadLettered()).append(" messages went to the dead-letter queue: see dlq list.");
        }
        RunSummary.ReadModel readModel = results.readModel();
        if (readModel.publication().equals("full") && run.command() != Command.RUN) {
            // Every package is compared with what is published; only those that differ are written again.
            out.append(" Republished the read model the API reads in full: ").append(readModel.packagesWritten())
                    .append(readModel.packagesWritten() == 1 ? " package object" : " package objects")
                    .append(" rewritten, every other already as published.");
        }
        if (readModel.deadLettersRecorded() > 0) {
            out.append(' ').append(readModel.deadLettersRecorded()).append(" messages that SQS moved to the dead-letter queue after "
                    + "too many receives now read DEAD_LETTERED: see dlq list.");
        }
        RunSummary.Compaction compaction = results.compaction();
        if (run.command() == Command.RUN && compaction.partitions() > 0) {
            out.append(" Compacted ").append(compaction.partitions()).append(" closed partitions (")
                    .append(compaction.filesBefore()).append(" files into ").append(compaction.filesAfter()).append(").");
        }
        if (compaction.stoppedAtDeadline()) {
            out.append(" Compaction stopped at the invocation's deadline with ").append(compaction.left())
                    .append(compaction.left() == 1 ? " partition" : " partitions").append(" left; the next run continues.");
        }
        if (compaction.setAside() > 0) {
            out.append(' ').append(compaction.setAside()).append(compaction.setAside() == 1 ? " partition is" : " partitions are")
                    .append(" set aside after failing to compact twice: run compact to retry them and see why they fail.");
        }
        if (!drain.unitsOutsideRegistry().isEmpty()) {
            out.append(" Units no longer in the registry were applied all the same: ")
                    .append(String.join(", ", drain.unitsOutsideRegistry())).append("; add them back to SOI_BUSINESS_UNITS "
                            + "(soi.business-units) if they are still in use.");
        }
        return out.toString();
    }

    /** What the command did, before what every command adds (a rebuild, carried and rolled back runs, dead letters). */
    private static String opening(RunResults results) {
        Drained drain = results.drainedOrNone();
        Recovery recovery = results.recoveryOrNone();
        RunSummary.Compaction compaction = results.compaction();
        return switch (results.context().command()) {
            case BOOTSTRAP -> {
                int registered = results.registered().optional().orElse(0);
                Optional<Bootstrapped> done = results.bootstrap().optional();
                String version = done.map(Bootstrapped::version).orElse(null);
                String opening = "The database and both tables are ready." + (registered > 0 || !StorageLayout.LATEST_EMPTY_VERSION.equals(version)
                        ? " The store already held data: " + registered + " PIT partitions registered, and a new latest table "
                        + "points at version " + version + ", the last one published." : "");
                yield done.filter(Bootstrapped::stoppedAtDeadline).map(b -> opening + " It stopped at the invocation's deadline with "
                        + b.left() + " of the " + b.found() + " partitions found left to register: run bootstrap again to continue.")
                        .orElse(opening);
            }
            case REBUILD_LATEST -> results.latestBuild().optional().isPresent() ? "Rebuilt part of the latest table"
                    : "Rebuilt the latest table";
            case COMPACT -> compaction.partitions() == 0 && compaction.failed() == 0
                    ? (compaction.stoppedAtDeadline() ? "Compacted no partition yet."
                    : "Nothing to compact: no eligible partition has more files than its size needs.")
                    : "Compacted " + compaction.partitions() + " partitions: " + compaction.filesBefore() + " files into "
                            + compaction.filesAfter() + (compaction.failed() > 0
                            ? "; " + compaction.failed() + " failed their check and were undone (see the log)." : ".");
            case DLQ_REDRIVE -> {
                Redriven redriven = results.redriven().get();
                int n = redriven.sent().size();
                yield "Sent " + n + (n == 1 ? " dead letter" : " dead letters") + " back to the submission queue; the next run "
                        + "applies them." + (redriven.notFound().isEmpty() ? ""
                        : " Not in the dead-letter queue: " + String.join(", ", redriven.notFound()) + ".")
                        + (redriven.stoppedAtDeadline() ? " It stopped at the invocation's deadline; the rest are still in the "
                        + "dead-letter queue: run dlq-redrive again to send them." : "");
            }
            case RUN -> {
                int applied = drain.toApply().size();
                if (applied == 0 && recovery.carried().isEmpty()) {
                    // A run that changed nothing writes no manifest and no latest version: say so, and where reads stand.
                    yield (drain.received() == 0 ? "Nothing to apply: the queue was empty"
                            : "Nothing new to apply: every message received was already in the PIT table")
                            + ", so no table changed; the latest table stays at version "
                            + (recovery.lastPublished() == null ? StorageLayout.LATEST_EMPTY_VERSION : recovery.lastPublished()) + ".";
                }
                Written written = results.writtenOrNone();
                yield "Applied " + applied + (applied == 1 ? " submission" : " submissions") + " (" + written.rows() + " rows in "
                        + written.files().size() + " files) for " + String.join(", ", results.unitsChanged());
            }
            default -> "Done";
        };
    }

    /** The sentence of {@code dlq-list}: how many dead letters, and what to do about them. */
    public static String deadLetters(int n) {
        return n == 0 ? "The dead-letter queue is empty." : "The dead-letter queue holds " + n + (n == 1 ? " message" : " messages")
                + "; each one's reason is listed. Fix the cause, then send them back with dlq redrive --all or by submission id.";
    }

    private static String message(Throwable failure) {
        String text = (failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage()) + osCause(failure);
        return text.endsWith(".") ? text : text + ".";
    }

    /**
     * The operating system's reason behind a failure, when the message does not say it already: a store that cannot stage
     * a write says where, and only its cause says why ({@code No space left on device}).
     */
    private static String osCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        boolean fromTheSystem = root instanceof java.io.IOException || root instanceof java.io.UncheckedIOException;
        String text = String.valueOf(failure.getMessage());
        return root != failure && fromTheSystem && root.getMessage() != null && !text.contains(root.getMessage())
                ? " (" + root.getMessage() + ")" : "";
    }
}
