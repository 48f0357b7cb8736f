package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.manifest.ManifestJournal;
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
    private final Compactions compactions;

    Bootstrap(BatchPorts ports, Compactions compactions) {
        this.ports = requireNonNull(ports, "ports");
        this.compactions = requireNonNull(compactions, "compactions");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        RunState run = RunState.of(contribution);
        ports.engine().execute(ports.statements().createDatabase());
        ports.engine().execute(ports.statements().createPitTable());
        String version = publishedVersion(run.journal()).orElse(StorageLayout.LATEST_EMPTY_VERSION);
        ports.engine().execute(ports.statements().createLatestTable(StorageLayout.latestVersionPrefix(version)));
        Set<PitPartition> partitions = RegisterPartitions.partitionsInStore(ports);
        if (!partitions.isEmpty()) {
            // A compacted partition at its compacted folder: the old one is deleted after the grace period.
            ports.statements().addPartitions(List.copyOf(partitions), compactions::folderOf).forEach(ports.engine()::execute);
        }
        run.partitionsRegistered(partitions.size());
        run.bootstrapVersion(version);
        StepCounts.record(contribution, partitions.size(), partitions.size(), 0);
        log.info("bootstrap: database {} and tables ready; {} partitions found in the store registered; latest table at version {} "
                + "(if it did not exist yet)", ports.statements().database(), partitions.size(), version);
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
