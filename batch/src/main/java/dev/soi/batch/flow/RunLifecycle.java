package dev.soi.batch.flow;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.latest.Rebuilt;
import dev.soi.batch.ops.RunResults;
import dev.soi.batch.pit.RollBack;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.Claims;
import dev.soi.batch.run.Command;
import dev.soi.batch.run.RunContext;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;

/**
 * The end of every command's job, whatever way it ended: the heartbeat stops; a run that failed hands its held messages
 * back and, if its manifest is not committed in the store, is rolled back (ABORTED, then its uploads and files deleted);
 * a run that drained the queue to
 * its end records the latest table as current; the lease is released. An {@link Error} is a crash: nothing is cleaned
 * up and the lease is kept, exactly as if the process had died there, so the crash tests see what a dead Lambda leaves.
 */
public final class RunLifecycle implements JobExecutionListener {
    private static final Logger log = LoggerFactory.getLogger(RunLifecycle.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final Claims claims;
    private final RunResults results;
    private final RollBack rollBack;

    public RunLifecycle(BatchPorts ports, Claims claims, RunResults results, RollBack rollBack) {
        this.ports = requireNonNull(ports, "ports");
        this.claims = requireNonNull(claims, "claims");
        this.results = requireNonNull(results, "results");
        this.run = results.context();
        this.rollBack = requireNonNull(rollBack, "roll back");
    }

    @Override
    public void afterJob(JobExecution execution) {
        claims.heartbeat().close();
        if (crash(execution).isPresent() || !claims.lease().held()) {
            return;
        }
        List<Throwable> failures = execution.getAllFailureExceptions();
        if (execution.getStatus() == BatchStatus.FAILED) {
            try {
                // Whatever this run still holds is the next run's at once, not after the visibility timeout.
                claims.messages().releaseAll(ports.queue());
            } catch (RuntimeException e) {
                log.warn("{}: held messages not released; they reappear after the visibility timeout: {}", run, e.toString());
            }
        }
        if (execution.getStatus() == BatchStatus.FAILED && results.manifest().opening()) {
            try {
                // On the manifest as it is in the store, not as this run last believed: a commit whose answer was lost
                // is COMMITTED there, and is kept.
                rollBack.ifNotCommitted(run.journal(), run.runId(), results.manifest().stagedUploads());
            } catch (RuntimeException e) {
                log.warn("{}: rolling back after the failure failed too; the next run rolls it back: {}", run, e.toString());
                failures.stream().findFirst().ifPresent(f -> f.addSuppressed(e));
            }
        }
        if (execution.getStatus() == BatchStatus.COMPLETED && run.command() == Command.RUN
                && results.drained().optional().map(d -> d.reachedEnd()).orElse(false)) {
            recordLatestCurrent();
        }
        try {
            claims.lease().release();
        } catch (RuntimeException e) {
            log.warn("{}: lease not released; it expires by itself: {}", run, e.toString());
            failures.stream().findFirst().ifPresent(f -> f.addSuppressed(e));
        }
    }

    /**
     * The run drained the queue to its end and applied all of it (or found nothing): the latest table now holds every
     * submission accepted before the run started, whether or not this run published a version. Staleness is measured
     * from here, so a quiet stack is not stale. Best effort: without the record, staleness only reads older.
     */
    private void recordLatestCurrent() {
        String version = results.rebuilt().optional().map(Rebuilt::version).orElse(results.recoveryOrNone().lastPublished());
        try {
            run.journal().recordLatestCurrent(new ManifestJournal.LatestCurrent(run.runId().value(), version, run.startedAt()));
        } catch (RuntimeException e) {
            log.warn("{}: the latest-current record was not written; staleness reads from the last publication: {}", run,
                    e.toString());
        }
    }

    /** The {@link Error} that ended the execution, if one did: a crash, real or simulated. */
    public static Optional<Error> crash(JobExecution execution) {
        return execution.getAllFailureExceptions().stream().filter(Error.class::isInstance).map(Error.class::cast).findFirst();
    }
}
