package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.Lease;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code lease}: takes the run lease. When another live run holds it, the step ends with exit status
 * {@link #LEASE_HELD} and the job's flow ends there (see {@link MaterializeJobs}); no later step runs.
 */
public final class AcquireLease implements Tasklet {
    public static final String LEASE_HELD = "LEASE_HELD";
    private static final Logger log = LoggerFactory.getLogger(AcquireLease.class);

    private final BatchPorts ports;

    public AcquireLease(BatchPorts ports) {
        this.ports = requireNonNull(ports, "ports");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        RunState run = RunState.of(contribution);
        Optional<Lease> lease = ports.lease().tryAcquire(run.runId().value(), ports.properties().leaseTtl());
        if (lease.isEmpty()) {
            run.heldBy(ports.lease().current().orElse(null));
            log.info("{} {}: another run holds the lease ({}); nothing to do", run.command().label(), run.runId(),
                    run.heldBy() == null ? "it was just released" : run.heldBy());
            contribution.setExitStatus(new ExitStatus(LEASE_HELD));
            return RepeatStatus.FINISHED;
        }
        run.lease(lease.get());
        run.heartbeat(Heartbeat.start(ports, run));
        log.info("{} {}: lease taken, fencing token {}", run.command().label(), run.runId(), lease.get().fencingToken());
        return RepeatStatus.FINISHED;
    }
}
