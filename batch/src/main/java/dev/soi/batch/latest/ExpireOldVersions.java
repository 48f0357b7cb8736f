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
 * them can finish. It follows {@code rebuild-latest}, so the current version is the one this run swapped in, known for
 * certain while the run holds the lease: a lease check comes before the first deletion, so a run whose lease was taken
 * over (and whose version another run may have replaced since) deletes nothing. Write count: versions deleted.
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
            if (name.equals(rebuilt.get().version()) || name.equals(StorageLayout.LATEST_EMPTY_VERSION)) {
                continue;
            }
            if (kept < ports.properties().latestKeepVersions()) {
                kept++;
                continue;
            }
            if (finishedAt(name, version.getValue()).plus(ports.properties().latestGracePeriod()).isAfter(now)) {
                continue;
            }
            if (deleted == 0) {
                lease.check(); // fence: the version this run swapped in is still the current one
            }
            ports.store().delete(version.getValue().stream().map(ObjectSummary::key).toList());
            deleted++;
            log.info("{}: expired latest version {}", run, name);
        }
        expired.set(deleted);
        StepCounts.record(contribution, versions.size(), deleted, 0);
        return RepeatStatus.FINISHED;
    }

    /** When the version's run finished, from its manifest; else when its last file was written. */
    private Instant finishedAt(String version, List<ObjectSummary> objects) {
        Instant lastWrite = objects.stream().map(ObjectSummary::lastModified).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        Optional<RunId> runId = RunId.parse(version);
        return runId.flatMap(id -> run.journal().manifestOf(id)).map(RunManifest::finishedAt).orElse(lastWrite);
    }
}
