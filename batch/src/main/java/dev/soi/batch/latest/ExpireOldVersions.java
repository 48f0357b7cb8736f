package dev.soi.batch.latest;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.RunManifest;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.HeldLease;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.LeaseLostException;
import dev.soi.core.port.ObjectSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code expire-old-versions}: deletes latest-table versions older than the newest
 * {@code latestKeepVersions}, once their run finished more than the grace period ago, so queries that started on
 * them can finish; never the version a full build under way is writing. It follows {@code rebuild-latest}, so the
 * current version is the one this run swapped in, known for certain while the run holds the lease. Fence first: before
 * the first deletion the run renews the lease, a compare-and-swap of the lease record that succeeds only while this run
 * holds it, so nothing is deleted on the strength of a lease this run merely remembers; a run whose lease was taken over
 * deletes nothing. Every swap happens under the lease, so after the renewal no other run can replace the version for a
 * whole TTL, longer than the deletions take. Then it deletes the catalog's archived versions of the latest table but the
 * newest {@code latestCatalogVersions}: Glue archives one at each swap, and past its limit per table every swap would
 * fail. A rebuild that published nothing (a full build stopped at the deadline) expires nothing. Write count: version
 * folders deleted; filter count: archived catalog versions deleted.
 */
public final class ExpireOldVersions implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(ExpireOldVersions.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final HeldLease lease;
    private final WriteOnce<Rebuilt> rebuilt;
    private final WriteOnce<Integer> expired;

    /** @param expired where it leaves how many versions it deleted */
    public ExpireOldVersions(BatchPorts ports, RunContext run, HeldLease lease, WriteOnce<Rebuilt> rebuilt, WriteOnce<Integer> expired) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.lease = requireNonNull(lease, "lease");
        this.rebuilt = requireNonNull(rebuilt, "rebuilt");
        this.expired = requireNonNull(expired, "expired");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (rebuilt.optional().isEmpty()) {
            expired.set(0);
            return RepeatStatus.FINISHED;
        }
        String building = LatestBuild.read(ports.store()).map(LatestBuild.State::version).orElse(null);
        TreeMap<String, List<ObjectSummary>> versions = new TreeMap<>(Comparator.reverseOrder());
        for (ObjectSummary object : ports.store().list(StorageLayout.latestVersionsPrefix())) {
            StorageLayout.latestVersionOf(object.key())
                    .ifPresent(v -> versions.computeIfAbsent(v, k -> new ArrayList<>()).add(object));
        }
        Instant now = ports.clock().instant();
        int kept = 0;
        int deleted = 0;
        for (Map.Entry<String, List<ObjectSummary>> version : versions.entrySet()) {
            String name = version.getKey();
            if (name.equals(rebuilt.get().version()) || name.equals(StorageLayout.LATEST_EMPTY_VERSION) || name.equals(building)) {
                continue;
            }
            if (kept < ports.properties().latestKeepVersions()) {
                kept++;
                continue;
            }
            if (finishedAt(name, version.getValue()).plus(ports.properties().latestGracePeriod()).isAfter(now)) {
                continue;
            }
            if (deleted == 0 && !fenced()) {
                break;
            }
            ports.store().delete(version.getValue().stream().map(ObjectSummary::key).toList());
            deleted++;
            log.info("{}: expired latest version {}", run, name);
        }
        int catalogVersions = ports.catalogVersions().prune(StorageLayout.LATEST_TABLE, ports.properties().latestCatalogVersions());
        if (catalogVersions > 0) {
            log.info("{}: deleted {} archived catalog versions of {}; the newest {} are kept", run, catalogVersions,
                    StorageLayout.LATEST_TABLE, ports.properties().latestCatalogVersions());
        }
        expired.set(deleted);
        StepCounts.record(contribution, versions.size(), deleted, catalogVersions);
        return RepeatStatus.FINISHED;
    }

    /**
     * Renews the lease before the first deletion. A lease taken over fails the run, as any step's lease check does; any
     * other failure of the renewal (the store did not answer) keeps the old versions for the next run to expire: they are
     * only clean-up, and the heartbeat renews the lease on its own schedule.
     */
    private boolean fenced() {
        try {
            lease.renew();
            return true;
        } catch (LeaseLostException e) {
            throw e;
        } catch (RuntimeException e) {
            log.warn("{}: old latest versions kept this run, since the lease could not be renewed before deleting them ({}); "
                    + "the next run expires them", run, e.getMessage());
            return false;
        }
    }

    /** When the version's run finished, from its manifest; else when its last file was written. */
    private Instant finishedAt(String version, List<ObjectSummary> objects) {
        Instant lastWrite = objects.stream().map(ObjectSummary::lastModified).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        Optional<RunId> runId = RunId.parse(version);
        return runId.flatMap(id -> run.journal().manifestOf(id)).map(RunManifest::finishedAt).orElse(lastWrite);
    }
}
