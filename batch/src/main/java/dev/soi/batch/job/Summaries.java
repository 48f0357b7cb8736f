package dev.soi.batch.job;

import dev.soi.batch.RunSummary;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.Lease;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;

/**
 * The {@link RunSummary} of a finished job execution: its run state, its step timings and its outcome, led by a
 * sentence that says what happened and what to do next.
 */
public final class Summaries {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Summaries() {}

    public static RunSummary of(JobExecution execution, Instant now) {
        RunState run = RunState.of(execution);
        List<Throwable> failures = execution.getAllFailureExceptions();
        RunSummary.Outcome outcome = execution.getStatus() == BatchStatus.FAILED || !failures.isEmpty() ? RunSummary.Outcome.FAILED
                : AcquireLease.LEASE_HELD.equals(execution.getExitStatus().getExitCode()) ? RunSummary.Outcome.LEASE_HELD
                : RunSummary.Outcome.COMPLETED;
        RunState.Drain drain = run.drain();
        String failure = failures.isEmpty() ? null : failures.get(0).toString();
        return new RunSummary(sentence(run, outcome, failures, now), run.runId().value(), run.command().label(), outcome,
                drain.received(), drain.toApply().size(), drain.duplicates(), drain.alreadyCommitted(), drain.deadLettered(),
                run.written().rows(), run.written().files().size(), run.written().bytes(), run.unitsChanged(),
                drain.unitsOutsideRegistry(), run.partitionsRegistered(), run.recovery().rolledBack(),
                run.recovery().carriedRunIds(), run.rebuilt() == null ? null : run.rebuilt().version(), run.versionsExpired(),
                StepTimings.finished(execution), run.elapsedMillis(), failure,
                run.command() == Command.DLQ_REDRIVE ? run.deadLetters().redriven() : run.deadLetters().seen(),
                run.deadLetters().notFound(), compaction(run));
    }

    static String sentence(RunState run, RunSummary.Outcome outcome, List<Throwable> failures, Instant now) {
        return switch (outcome) {
            case LEASE_HELD -> leaseHeld(run.heldBy(), now);
            case FAILED -> failed(run, failures.isEmpty() ? "the job failed" : message(failures.get(0)));
            case COMPLETED -> completed(run);
        };
    }

    private static String leaseHeld(Lease holder, Instant now) {
        if (holder == null) {
            return "Another run held the lease a moment ago, so this one did nothing; the next scheduled run will go ahead.";
        }
        String since = RunId.parse(holder.holder()).map(id -> " since " + STAMP.format(id.startedAt())).orElse("");
        long left = Math.max(0, Duration.between(now, holder.expiresAt()).toSeconds());
        return "Run " + holder.holder() + " holds the lease" + since + ", so this run did nothing. Its lease expires at "
                + STAMP.format(holder.expiresAt()) + " (in " + left + " s) unless it renews it: a live run renews it every few "
                + "seconds, a crashed one does not. The next scheduled run after that goes ahead.";
    }

    private static String failed(RunState run, String reason) {
        if (run.manifest() != null && run.manifest().state().isCommitted()) {
            return "The run committed " + run.drain().toApply().size() + " submissions to the PIT table, then failed: " + reason
                    + " The latest table was not changed; the next run retries the rebuild, or run rebuild-latest now.";
        }
        return "The run failed before its commit, so no table changed: " + reason + " Its messages are back on the queue; "
                + "fix the cause and run again.";
    }

    private static String completed(RunState run) {
        StringBuilder out = new StringBuilder();
        switch (run.command()) {
            case BOOTSTRAP -> {
                out.append("The database and both tables are ready.");
                if (run.partitionsRegistered() > 0 || !StorageLayout.LATEST_EMPTY_VERSION.equals(run.bootstrapVersion())) {
                    out.append(" The store already held data: ").append(run.partitionsRegistered())
                            .append(" PIT partitions registered, and a new latest table points at version ")
                            .append(run.bootstrapVersion()).append(", the last one published.");
                }
            }
            case REBUILD_LATEST -> out.append("Rebuilt the latest table");
            case COMPACT -> out.append(run.compacted().partitions() == 0 && run.compacted().failed() == 0
                    ? "Nothing to compact: no eligible partition has more files than its size needs."
                    : "Compacted " + run.compacted().partitions() + " partitions: " + run.compacted().filesBefore() + " files into "
                            + run.compacted().filesAfter() + (run.compacted().failed() > 0
                            ? "; " + run.compacted().failed() + " failed their check and were undone (see the log)." : "."));
            case STATUS -> out.append(run.status() == null ? "Status not read." : run.status().sentence());
            case DLQ_LIST -> {
                int n = run.deadLetters().seen().size();
                out.append(n == 0 ? "The dead-letter queue is empty." : "The dead-letter queue holds " + n + (n == 1 ? " message" : " messages")
                        + "; each one's reason is listed. Fix the cause, then send them back with dlq redrive --all or by submission id.");
            }
            case DLQ_REDRIVE -> {
                int n = run.deadLetters().redriven().size();
                out.append("Sent ").append(n).append(n == 1 ? " dead letter" : " dead letters")
                        .append(" back to the submission queue; the next run applies them.");
                if (!run.deadLetters().notFound().isEmpty()) {
                    out.append(" Not in the dead-letter queue: ").append(String.join(", ", run.deadLetters().notFound())).append('.');
                }
            }
            case RUN -> {
                int applied = run.drain().toApply().size();
                if (applied == 0 && run.recovery().carried().isEmpty()) {
                    out.append(run.drain().received() == 0 ? "Nothing to apply: the queue was empty"
                            : "Nothing new to apply: every message received was already in the PIT table");
                    // A run that changed nothing writes no manifest and no latest version: say so, and where reads stand.
                    out.append(", so no table changed; the latest table stays at version ")
                            .append(run.recovery().lastPublished() == null ? StorageLayout.LATEST_EMPTY_VERSION
                                    : run.recovery().lastPublished()).append('.');
                } else {
                    out.append("Applied ").append(applied).append(applied == 1 ? " submission" : " submissions").append(" (")
                            .append(run.written().rows()).append(" rows in ").append(run.written().files().size())
                            .append(" files) for ").append(String.join(", ", run.unitsChanged()));
                }
            }
            default -> out.append("Done");
        }
        if (run.rebuilt() != null) {
            out.append(run.command() == Command.RUN ? "; the latest table" : ":").append(" is now version ")
                    .append(run.rebuilt().version()).append(" (").append(run.rebuilt().rows()).append(" rows).");
        } else if (out.charAt(out.length() - 1) != '.') {
            out.append('.');
        }
        if (!run.recovery().carriedRunIds().isEmpty()) {
            out.append(" Finished the committed work of crashed run ").append(String.join(", ", run.recovery().carriedRunIds())).append('.');
        }
        if (!run.recovery().rolledBack().isEmpty()) {
            out.append(" Rolled back unfinished run ").append(String.join(", ", run.recovery().rolledBack()))
                    .append("; its submissions are applied from the queue.");
        }
        if (run.drain().deadLettered() > 0) {
            out.append(' ').append(run.drain().deadLettered()).append(" messages went to the dead-letter queue: see dlq list.");
        }
        if (run.command() == Command.RUN && run.compacted().partitions() > 0) {
            out.append(" Compacted ").append(run.compacted().partitions()).append(" closed partitions (")
                    .append(run.compacted().filesBefore()).append(" files into ").append(run.compacted().filesAfter()).append(").");
        }
        if (!run.drain().unitsOutsideRegistry().isEmpty()) {
            out.append(" Units no longer in the registry were applied all the same: ")
                    .append(String.join(", ", run.drain().unitsOutsideRegistry())).append("; add them back to SOI_BUSINESS_UNITS "
                            + "(soi.business-units) if they are still in use.");
        }
        return out.toString();
    }

    private static String message(Throwable failure) {
        String text = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return text.endsWith(".") ? text : text + ".";
    }

    static RunSummary.Compaction compaction(RunState run) {
        RunState.Compacted c = run.compacted();
        return new RunSummary.Compaction(c.partitions(), c.failed(), c.filesBefore(), c.filesAfter(), c.bytesBefore(), c.bytesAfter(),
                run.oldFoldersDeleted());
    }
}
