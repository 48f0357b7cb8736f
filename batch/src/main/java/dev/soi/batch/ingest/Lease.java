package dev.soi.batch.ingest;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.Claims;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.WriteOnce;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code lease}: takes the run lease and starts the heartbeat that keeps it. When another live run holds it, the
 * step leaves who holds it and ends with exit status {@link #LEASE_HELD}, on which the job's flow ends (see
 * {@code MaterializeJobs}); no later step runs.
 */
public final class Lease implements Tasklet {
    public static final String LEASE_HELD = "LEASE_HELD";
    private static final Logger log = LoggerFactory.getLogger(Lease.class);

    private final RunContext run;
    private final Claims claims;
    private final WriteOnce<LeaseRefused> refused;

    /** @param refused where it leaves the other holder when the lease is not free */
    public Lease(RunContext run, Claims claims, WriteOnce<LeaseRefused> refused) {
        this.run = requireNonNull(run, "run");
        this.claims = requireNonNull(claims, "claims");
        this.refused = requireNonNull(refused, "refused");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (!claims.lease().acquire()) {
            LeaseRefused other = new LeaseRefused(claims.lease().otherHolder().orElse(null));
            refused.set(other);
            log.info("{}: another run holds the lease ({}); nothing to do", run,
                    other.holder() == null ? "it was just released" : other.holder());
            contribution.setExitStatus(new ExitStatus(LEASE_HELD));
            return RepeatStatus.FINISHED;
        }
        claims.heartbeat().start();
        log.info("{}: lease taken, fencing token {}", run, claims.lease().fencingToken());
        return RepeatStatus.FINISHED;
    }
}
