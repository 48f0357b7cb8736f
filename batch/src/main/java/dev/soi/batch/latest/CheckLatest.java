package dev.soi.batch.latest;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import java.util.Optional;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code check-latest}: the latest version readers read is still what its run published ({@link LatestDamage}), or
 * the run fails here, before it receives anything, naming the damage and the repair. A damaged version is never the base
 * of an incremental rebuild: a file gone from it would read as packages gone, and the publish guard, which compares with
 * that same version, would not see them missing. Read count: files checked.
 */
public final class CheckLatest implements Tasklet {
    private final BatchPorts ports;
    private final RunContext run;

    public CheckLatest(BatchPorts ports, RunContext run) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long checked = 0;
        var lastDone = run.journal().lastDone();
        if (lastDone.isPresent()) {
            Optional<LatestDamage> damage = LatestDamage.of(ports.store(), lastDone.get());
            if (damage.isPresent()) {
                throw new IllegalStateException(damage.get().problem());
            }
            checked = lastDone.get().latestFiles().size();
        }
        StepCounts.record(contribution, checked, 0, 0);
        return RepeatStatus.FINISHED;
    }
}
