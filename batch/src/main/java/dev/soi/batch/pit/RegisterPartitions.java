package dev.soi.batch.pit;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.compaction.Compactions;
import dev.soi.batch.journal.OwnManifest;
import dev.soi.batch.journal.Recovery;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.PitPartition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code register-partitions}: {@code ADD IF NOT EXISTS PARTITION} for the partitions this run wrote and
 * those of the commits it carries; with {@code --full}, for every partition found under the PIT folder too. A
 * compacted partition is registered at its compacted folder, so a {@code --full} after a lost catalog reads it right.
 * Write count: partitions registered.
 */
public final class RegisterPartitions implements Tasklet {
    private final BatchPorts ports;
    private final RunContext run;
    private final Compactions compactions;
    private final WriteOnce<Recovery> recovery;
    private final OwnManifest manifest;
    private final WriteOnce<Integer> registered;

    /** @param registered where it leaves how many partitions it registered */
    public RegisterPartitions(BatchPorts ports, RunContext run, Compactions compactions, WriteOnce<Recovery> recovery,
                              OwnManifest manifest, WriteOnce<Integer> registered) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.compactions = requireNonNull(compactions, "compactions");
        this.recovery = requireNonNull(recovery, "recovery");
        this.manifest = requireNonNull(manifest, "manifest");
        this.registered = requireNonNull(registered, "registered");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        Set<PitPartition> partitions = new TreeSet<>(recovery.get().partitions());
        partitions.addAll(manifest.get().manifest().pitPartitions());
        // With --full, every partition in the store, each at the folder one listing shows (not one record read each).
        Map<PitPartition, String> inStore = run.full() ? compactions.partitionsInStore() : Map.of();
        partitions.addAll(inStore.keySet());
        ports.statements().addPartitions(List.copyOf(partitions), p -> inStore.containsKey(p) ? inStore.get(p) : compactions.folderOf(p))
                .forEach(ports.engine()::execute);
        registered.set(partitions.size());
        StepCounts.record(contribution, partitions.size(), partitions.size(), 0);
        return RepeatStatus.FINISHED;
    }

}
