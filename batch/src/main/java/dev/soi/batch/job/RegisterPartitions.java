package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectSummary;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code register-partitions}: {@code ADD IF NOT EXISTS PARTITION} for the partitions this run wrote and
 * those of the commits it carries; with {@code --full}, for every partition found under the PIT folder too.
 * Write count: partitions registered.
 */
public final class RegisterPartitions implements Tasklet {
    private final BatchPorts ports;
    private final Compactions compactions;

    RegisterPartitions(BatchPorts ports, Compactions compactions) {
        this.ports = requireNonNull(ports, "ports");
        this.compactions = requireNonNull(compactions, "compactions");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        RunState run = RunState.of(contribution);
        Set<PitPartition> partitions = new TreeSet<>(run.recovery().partitions());
        if (run.manifest() != null) {
            partitions.addAll(run.manifest().manifest().pitPartitions());
        }
        if (run.full()) {
            partitions.addAll(partitionsInStore(ports));
        }
        if (partitions.isEmpty()) {
            return RepeatStatus.FINISHED;
        }
        // A compacted partition is registered at its compacted folder, so a --full after a lost catalog reads it right.
        ports.statements().addPartitions(List.copyOf(partitions), compactions::folderOf).forEach(ports.engine()::execute);
        run.partitionsRegistered(partitions.size());
        StepCounts.record(contribution, partitions.size(), partitions.size(), 0);
        return RepeatStatus.FINISHED;
    }

    /** Every partition that holds a PIT file in the store. */
    static Set<PitPartition> partitionsInStore(BatchPorts ports) {
        Set<PitPartition> partitions = new TreeSet<>();
        for (ObjectSummary object : ports.store().list(StorageLayout.PIT_PREFIX)) {
            StorageLayout.partitionOf(object.key()).ifPresent(partitions::add);
        }
        return partitions;
    }
}
