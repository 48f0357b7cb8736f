package dev.soi.batch.pit;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.compaction.Compactions;
import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectSummary;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code bootstrap}: creates the database, the PIT table and the latest table if missing. Over a store that
 * already holds data (a lost or recreated catalog) it repairs rather than starts empty: it registers every PIT
 * partition found in the store and creates the latest table at the version the last finished run published
 * (from the journal), not at the empty initial one. Idempotent; takes no lease, since every statement is
 * IF NOT EXISTS. Write count: partitions registered.
 */
public final class Bootstrap implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final Compactions compactions;
    private final WriteOnce<Integer> registered;
    private final WriteOnce<String> version;

    /**
     * @param registered where it leaves how many partitions it registered
     * @param version    where it leaves the version the latest table is created at, if it does not exist yet
     */
    public Bootstrap(BatchPorts ports, RunContext run, Compactions compactions, WriteOnce<Integer> registered,
                     WriteOnce<String> version) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.compactions = requireNonNull(compactions, "compactions");
        this.registered = requireNonNull(registered, "registered");
        this.version = requireNonNull(version, "version");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ports.engine().execute(ports.statements().createDatabase());
        ports.engine().execute(ports.statements().createPitTable());
        String latest = publishedVersion(run.journal()).orElse(StorageLayout.LATEST_EMPTY_VERSION);
        Set<BusinessUnit> units = new TreeSet<>((a, b) -> a.code().compareTo(b.code()));
        ports.properties().units().forEach(u -> units.add(BusinessUnit.of(u)));
        for (ObjectSummary object : ports.store().list(StorageLayout.latestVersionPrefix(latest))) {
            LatestLayout.latestUnitOf(object.key()).ifPresent(units::add);
        }
        ports.engine().execute(ports.statements().createLatestTable(StorageLayout.latestVersionPrefix(latest), units));
        Set<PitPartition> partitions = RegisterPartitions.inStore(ports);
        // A compacted partition at its compacted folder: the old one is deleted after the grace period.
        ports.statements().addPartitions(List.copyOf(partitions), compactions::folderOf).forEach(ports.engine()::execute);
        registered.set(partitions.size());
        version.set(latest);
        StepCounts.record(contribution, partitions.size(), partitions.size(), 0);
        log.info("bootstrap: database {} and tables ready; {} partitions found in the store registered; latest table at version {} "
                + "(if it did not exist yet)", ports.statements().database(), partitions.size(), latest);
        return RepeatStatus.FINISHED;
    }

    /**
     * The version the last finished run published, if its folder is still in the store and has the current layout (a
     * folder per unit); a version of an earlier release, one folder for every unit, cannot be read through the
     * partitioned table, and the next rebuild builds a new one from PIT.
     */
    private Optional<String> publishedVersion(ManifestJournal journal) {
        Optional<String> version = journal.lastDone().map(ManifestJournal.LastDone::latestVersion);
        if (version.isEmpty()) {
            return version;
        }
        String prefix = StorageLayout.latestVersionPrefix(version.get());
        List<ObjectSummary> objects = ports.store().list(prefix);
        if (objects.isEmpty()) {
            log.warn("bootstrap: the last published latest version {} is gone from the store; the latest table starts empty. "
                    + "Run rebuild-latest --full to rebuild it from PIT", version.get());
            return Optional.empty();
        }
        if (objects.stream().anyMatch(o -> LatestLayout.latestUnitOf(o.key()).isEmpty())) {
            log.warn("bootstrap: the last published latest version {} has the one-folder layout of an earlier release, which "
                    + "the partitioned latest table cannot read; the table starts empty and the next rebuild (rebuild-latest "
                    + "--full, or the next scheduled run) builds it from PIT", version.get());
            return Optional.empty();
        }
        return version;
    }
}
