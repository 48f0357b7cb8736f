package dev.soi.batch.compaction;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code finish-compactions}: finds the partitions whose files lie in more than one folder (a compaction under
 * way, or one whose old folder waits out its grace period), finishes or undoes the compactions a crash left, and
 * deletes retired folders whose grace period passed. Read count: partitions looked at; write count: old folders deleted.
 */
public final class FinishCompactions implements Tasklet {
    private final BatchPorts ports;
    private final Compactions compactions;
    private final WriteOnce<Integer> retired;

    /** @param retired where it leaves how many old folders it deleted */
    public FinishCompactions(BatchPorts ports, Compactions compactions, WriteOnce<Integer> retired) {
        this.ports = requireNonNull(ports, "ports");
        this.compactions = requireNonNull(compactions, "compactions");
        this.retired = requireNonNull(retired, "retired");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        long looked = 0;
        int deleted = 0;
        for (Map.Entry<PitPartition, TreeMap<String, List<ObjectSummary>>> partition : folders(ports).entrySet()) {
            if (partition.getValue().size() < 2) {
                continue;
            }
            looked++;
            Optional<CompactionJournal.Entry> entry = compactions.settle(partition.getKey(), compactions.journal().read(partition.getKey()));
            if (compactions.retireIfDue(partition.getKey(), entry)) {
                deleted++;
            }
        }
        retired.set(deleted);
        StepCounts.record(contribution, looked, deleted, 0);
        return RepeatStatus.FINISHED;
    }

    /** The PIT data files, by partition and folder (folders in key order: the original first, then by compaction). */
    static Map<PitPartition, TreeMap<String, List<ObjectSummary>>> folders(BatchPorts ports) {
        Map<PitPartition, TreeMap<String, List<ObjectSummary>>> folders = new TreeMap<>();
        for (ObjectSummary object : ports.store().list(StorageLayout.PIT_PREFIX)) {
            Optional<PitPartition> partition = StorageLayout.partitionOf(object.key());
            if (partition.isPresent()) {
                folders.computeIfAbsent(partition.get(), p -> new TreeMap<>())
                        .computeIfAbsent(StorageLayout.partitionLocationOf(object.key()).orElseThrow(), f -> new ArrayList<>())
                        .add(object);
            }
        }
        return folders;
    }
}
