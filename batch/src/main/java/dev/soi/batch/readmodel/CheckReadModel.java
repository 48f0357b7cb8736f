package dev.soi.batch.readmodel;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.HeldLease;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.WriteOnce;
import dev.soi.batch.run.StepCounts;
import dev.soi.core.domain.BusinessUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code check-read-model}, right after {@code check-latest}: the read model is still what the batch published
 * ({@link ReadModelDamage}), or this step republishes it in full from the latest version, which {@code check-latest}
 * has just found sound. Unlike a damaged latest version, a damaged read model does not stop the run: it is made from
 * the latest table, so it can be made again, and the API answers 503 for what it cannot read only until this step ends.
 * Write count: objects republished.
 */
public final class CheckReadModel implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(CheckReadModel.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final HeldLease lease;
    private final WriteOnce<String> repaired;

    /** @param repaired where it says what it republished, for the run's summary */
    public CheckReadModel(BatchPorts ports, RunContext run, HeldLease lease, WriteOnce<String> repaired) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.lease = requireNonNull(lease, "lease");
        this.repaired = requireNonNull(repaired, "repaired");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long republished = 0;
        Optional<String> version = run.journal().lastDone().map(d -> d.latestVersion());
        if (version.isPresent()) {
            List<BusinessUnit> units = ports.properties().units().stream().map(BusinessUnit::of).toList();
            Optional<ReadModelDamage> damage = ReadModelDamage.ofVersion(ports.store(), units, version.get());
            if (damage.isPresent()) {
                log.warn("{}: {}; republishing it in full from latest version {}", run, damage.get().what(), version.get());
                republished = PublishReadModel.republish(ports, run, lease, version.get()).objectsWritten();
                repaired.set("The read model was damaged (" + damage.get().what() + "); republished it in full from latest version "
                        + version.get() + " (" + republished + " objects).");
            }
        }
        StepCounts.record(contribution, 0, republished, 0);
        return RepeatStatus.FINISHED;
    }
}
