package dev.soi.batch.pit;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.compaction.Compactions;
import dev.soi.batch.journal.JournalJson;
import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.UnitsOfWork;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.IndexLayout;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.sql.TableStatements;
import dev.soi.core.write.OwnWrites;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
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
 * IF NOT EXISTS.
 *
 * <p>Years of history are thousands of partitions: one listing of the PIT folder finds them with their folders
 * ({@link Compactions#partitionsInStore()}), and they are registered {@value TableStatements#PARTITIONS_PER_STATEMENT}
 * a statement, oldest unit and day first, one unit of work a statement, each started only if the invocation has time
 * for it. Where it stopped is recorded ({@link StorageLayout#BOOTSTRAP_PROGRESS_KEY}), so the next {@code bootstrap}
 * continues after it; the one that registers the last partition deletes the record. Write count: partitions registered.
 */
public final class Bootstrap implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
    /** A unit here is one ADD PARTITION statement of up to 100 partitions: about a second or two on Athena. */
    private static final Duration UNIT_ESTIMATE = Duration.ofSeconds(30);

    private final BatchPorts ports;
    private final RunContext run;
    private final Compactions compactions;
    private final WriteOnce<Integer> registered;
    private final WriteOnce<Bootstrapped> bootstrapped;

    /** Where the last unfinished {@code bootstrap} stopped: every partition up to {@code registeredThrough} is registered. */
    record Progress(String runId, String registeredThrough, int found, Instant updatedAt) {}

    /**
     * @param registered   where it leaves how many partitions it registered
     * @param bootstrapped where it leaves what it did
     */
    public Bootstrap(BatchPorts ports, RunContext run, Compactions compactions, WriteOnce<Integer> registered,
                     WriteOnce<Bootstrapped> bootstrapped) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.compactions = requireNonNull(compactions, "compactions");
        this.registered = requireNonNull(registered, "registered");
        this.bootstrapped = requireNonNull(bootstrapped, "bootstrapped");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ports.engine().execute(ports.statements().createDatabase());
        ports.engine().execute(ports.statements().createPitTable());
        String latest = publishedVersion(run.journal()).orElse(StorageLayout.LATEST_EMPTY_VERSION);
        Set<BusinessUnit> businessUnits = new TreeSet<>((a, b) -> a.code().compareTo(b.code()));
        ports.properties().units().forEach(u -> businessUnits.add(BusinessUnit.of(u)));
        for (ObjectSummary object : ports.store().list(StorageLayout.latestVersionPrefix(latest))) {
            LatestLayout.latestUnitOf(object.key()).ifPresent(businessUnits::add);
        }
        ports.engine().execute(ports.statements().createLatestTable(StorageLayout.latestVersionPrefix(latest), businessUnits));

        SortedMap<PitPartition, String> folders = compactions.partitionsInStore();
        Optional<Progress> progress = progress();
        List<PitPartition> left = new ArrayList<>(progress.map(p -> folders.keySet().stream()
                .filter(partition -> partition.path().compareTo(p.registeredThrough()) > 0).toList()).orElse(List.copyOf(folders.keySet())));
        progress.ifPresent(p -> log.info("{}: continuing the bootstrap that registered every partition through {}; {} of {} left",
                run, p.registeredThrough(), left.size(), folders.size()));
        int statements = (left.size() + TableStatements.PARTITIONS_PER_STATEMENT - 1) / TableStatements.PARTITIONS_PER_STATEMENT;
        UnitsOfWork units = new UnitsOfWork(ports, run, "bootstrap", "statements of up to " + TableStatements.PARTITIONS_PER_STATEMENT
                + " partitions", statements, UNIT_ESTIMATE);
        int done = 0;
        while (done < left.size() && units.timeForNext()) {
            List<PitPartition> chunk = left.subList(done, Math.min(left.size(), done + TableStatements.PARTITIONS_PER_STATEMENT));
            ports.statements().addPartitions(chunk, folders::get).forEach(ports.engine()::execute);
            done += chunk.size();
            PitPartition last = chunk.get(chunk.size() - 1);
            if (done < left.size()) {
                // Through OwnWrites: a write whose answer was lost but landed is done, not a failed bootstrap.
                new OwnWrites(ports.store(), run.runId().value()).put(IndexLayout.BOOTSTRAP_PROGRESS_KEY, JournalJson.write(new Progress(run.runId().value(), last.path(),
                        folders.size(), ports.clock().instant())));
            }
            units.done(chunk.size() + " partitions through " + last.path());
        }
        if (done == left.size() && progress.isPresent()) {
            ports.store().delete(List.of(IndexLayout.BOOTSTRAP_PROGRESS_KEY));
        }
        registered.set(done);
        bootstrapped.set(new Bootstrapped(latest, done, folders.size(), left.size() - done, units.stoppedAtDeadline()));
        StepCounts.record(contribution, folders.size(), done, 0);
        log.info("bootstrap: database {} and tables ready; {} of the {} partitions found in the store registered{}; latest table at "
                + "version {} (if it did not exist yet)", ports.statements().database(), done, folders.size(),
                done < left.size() ? ", the rest left for the next bootstrap" : "", latest);
        return RepeatStatus.FINISHED;
    }

    private Optional<Progress> progress() {
        return ports.store().get(IndexLayout.BOOTSTRAP_PROGRESS_KEY)
                .map(o -> JournalJson.read("bootstrap progress record", IndexLayout.BOOTSTRAP_PROGRESS_KEY, o.content(), Progress.class));
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
