package dev.soi.batch.pit;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.compaction.Compactions;
import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.StorageLayout;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
        ports.engine().execute(ports.statements().createLatestTable(StorageLayout.latestVersionPrefix(latest)));
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

    /** The version the last finished run published, if its folder is still in the store. */
    private Optional<String> publishedVersion(ManifestJournal journal) {
        Optional<String> version = journal.lastDone().map(ManifestJournal.LastDone::latestVersion);
        if (version.isPresent() && ports.store().list(StorageLayout.latestVersionPrefix(version.get())).isEmpty()) {
            log.warn("bootstrap: the last published latest version {} is gone from the store; the latest table starts empty. "
                    + "Run rebuild-latest --full to rebuild it from PIT", version.get());
            return Optional.empty();
        }
        return version;
    }
}
