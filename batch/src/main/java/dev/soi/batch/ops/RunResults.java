package dev.soi.batch.ops;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.compaction.Compacted;
import dev.soi.batch.compaction.Finished;
import dev.soi.batch.ingest.Drained;
import dev.soi.batch.ingest.LeaseRefused;
import dev.soi.batch.journal.OwnManifest;
import dev.soi.batch.journal.Recovery;
import dev.soi.batch.latest.LatestBuild;
import dev.soi.batch.latest.Rebuilt;
import dev.soi.batch.pit.Bootstrapped;
import dev.soi.batch.pit.Written;
import dev.soi.batch.readmodel.Published;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.WriteOnce;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every result one execution's steps leave, for what reports on the whole run: the run event, the summary and the
 * job's listener. Each step gets only the results it writes and reads, by constructor; a result its step did not reach
 * (a quiet run writes no files) is empty here, and each report says what empty means.
 *
 * @param refused    the lease step: who held the lease instead
 * @param recovery   recover: runs rolled back and commits carried
 * @param drained    drain: what the queue gave
 * @param manifest   the run's own manifest (write-pit-files opens it)
 * @param written    write-pit-files: the files committed
 * @param registered register-partitions or bootstrap: partitions registered
 * @param bootstrap  bootstrap: the version the latest table starts at, the partitions registered and left
 * @param rebuilt    rebuild-latest: the version swapped in
 * @param expired    expire-old-versions: versions deleted
 * @param outOfOrder detect-out-of-order: submissions applied stamped older than a version already committed
 * @param compacted  compact-partitions: partitions compacted
 * @param retired    finish-compactions: old folders deleted, and whether it stopped at the deadline
 * @param redriven   dlq-redrive: dead letters sent back
 * @param latestBuild rebuild-latest: a full build it stopped at the invocation's deadline, unpublished, to carry on
 * @param published  publish-read-model: what the read model publication wrote
 * @param deadLettersRecorded record-dead-letters: reasons recorded for messages SQS moved to the dead-letter queue
 * @param readModelRepaired check-read-model: what it found damaged and republished, as a sentence
 */
public record RunResults(RunContext context, WriteOnce<LeaseRefused> refused, WriteOnce<Recovery> recovery,
                         WriteOnce<Drained> drained, OwnManifest manifest, WriteOnce<Written> written,
                         WriteOnce<Integer> registered, WriteOnce<Bootstrapped> bootstrap, WriteOnce<Rebuilt> rebuilt,
                         WriteOnce<Integer> expired, WriteOnce<Compacted> compacted, WriteOnce<Finished> retired,
                         WriteOnce<Redriven> redriven, WriteOnce<LatestBuild.State> latestBuild, WriteOnce<Published> published,
                         WriteOnce<Integer> deadLettersRecorded, WriteOnce<OutOfOrder> outOfOrder,
                         WriteOnce<String> readModelRepaired) {

    public RunResults {
        requireNonNull(context, "context");
        requireNonNull(manifest, "manifest");
    }

    /** The results of {@code run}, none written yet. */
    public static RunResults of(RunContext run) {
        return new RunResults(run, new WriteOnce<>("lease refusal"), new WriteOnce<>("recovery"), new WriteOnce<>("drain"),
                new OwnManifest(run.journal()), new WriteOnce<>("written files"), new WriteOnce<>("partitions registered"),
                new WriteOnce<>("bootstrap"), new WriteOnce<>("rebuilt version"), new WriteOnce<>("versions expired"),
                new WriteOnce<>("compaction"), new WriteOnce<>("old folders deleted"), new WriteOnce<>("redrive"),
                new WriteOnce<>("latest build stopped"), new WriteOnce<>("read model published"),
                new WriteOnce<>("dead letters recorded"), new WriteOnce<>("out-of-order submissions"),
                new WriteOnce<>("read model repaired"));
    }

    public Recovery recoveryOrNone() {
        return recovery.optional().orElse(Recovery.NONE);
    }

    public Drained drainedOrNone() {
        return drained.optional().orElse(Drained.NONE);
    }

    public Written writtenOrNone() {
        return written.optional().orElse(Written.NONE);
    }

    /** Business units whose data this run changed, sorted: what it applied and what the commits it carries wrote. */
    public Set<String> unitsChanged() {
        Set<String> units = new TreeSet<>(drainedOrNone().units());
        units.addAll(recoveryOrNone().units());
        return units;
    }

    /** What the read model publication wrote in this execution, as the summary reports it. */
    public RunSummary.ReadModel readModel() {
        return published.optional().map(p -> new RunSummary.ReadModel(p.publication().name().toLowerCase(java.util.Locale.ROOT),
                p.packagesWritten(), p.packagesDeleted(), p.statusesWritten(), p.pagesWritten(), deadLettersRecorded.optional().orElse(0)))
                .orElse(new RunSummary.ReadModel("none", 0, 0, 0, 0, deadLettersRecorded.optional().orElse(0)));
    }

    /** What compaction did in this execution, as the summary and the event report it. */
    public RunSummary.Compaction compaction() {
        Compacted c = compacted.optional().orElse(Compacted.NONE);
        Finished f = retired.optional().orElse(Finished.NONE);
        return new RunSummary.Compaction(c.partitions(), c.failed(), c.filesBefore(), c.filesAfter(), c.bytesBefore(),
                c.bytesAfter(), f.oldFoldersDeleted(), c.setAside(), c.left(), c.stoppedAtDeadline() || f.stoppedAtDeadline());
    }
}
