package dev.soi.batch.readmodel;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.Claims;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.pit.Bootstrapped;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.readmodel.PublishedMarker;
import dev.soi.core.readmodel.ReadModelObjects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code publish-read-model} of {@code bootstrap}: makes the read model hold the version the last finished run
 * published, which {@code bootstrap} points the latest table at. Nothing to do when it already does (its marker says so);
 * on an empty store it records that the read model is published and empty, so readers answer 404, not 503; over existing
 * data without a read model (an upgrade, or a lost {@code _read_model/}) it publishes it in full from the latest table.
 * It writes under the run lease, like every publication; when a run holds the lease it leaves the work to that run's
 * publication (or the next run's, which publishes in full, since the marker does not hold the version). When
 * {@code bootstrap} could not point the table at that version (its folder is gone), it publishes nothing and says that
 * {@code rebuild-latest --full} rebuilds both. Write count: objects written.
 */
public final class BootstrapReadModel implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(BootstrapReadModel.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final Claims claims;
    private final WriteOnce<Bootstrapped> tableVersion;
    private final WriteOnce<Published> published;

    /**
     * @param tableVersion the version {@code bootstrap} created the latest table at (the last published one, or the empty one)
     * @param published    where it leaves what it wrote
     */
    public BootstrapReadModel(BatchPorts ports, RunContext run, Claims claims, WriteOnce<Bootstrapped> tableVersion,
                              WriteOnce<Published> published) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.claims = requireNonNull(claims, "claims");
        this.tableVersion = requireNonNull(tableVersion, "table version");
        this.published = requireNonNull(published, "published");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ReadModelObjects objects = new ReadModelObjects(ports.store());
        Optional<PublishedMarker> marker = objects.marker();
        String version = run.journal().lastDone().map(ManifestJournal.LastDone::latestVersion).orElse(StorageLayout.LATEST_EMPTY_VERSION);
        boolean empty = version.equals(StorageLayout.LATEST_EMPTY_VERSION);
        Published result = Published.none(version);
        if (marker.map(m -> m.holds(version) || empty).orElse(false)) {
            log.info("bootstrap: the read model holds version {} already", marker.get().latestVersion());
        } else if (!version.equals(tableVersion.get().version())) {
            log.warn("bootstrap: the read model was not published: the latest table starts at version {}, not at {}, the last one "
                    + "published, whose folder is gone. Run rebuild-latest --full: it rebuilds the table from PIT and publishes the "
                    + "read model from it", tableVersion.get().version(), version);
        } else if (!claims.lease().acquire()) {
            log.info("bootstrap: another run holds the lease; that run, or the next one, publishes the read model");
        } else {
            claims.heartbeat().start();
            if (empty) {
                objects.put(new PublishedMarker(version, run.runId().value(), true, ports.clock().instant()));
                log.info("bootstrap: the read model is published, empty, as the latest table is");
            } else {
                result = PublishReadModel.full(ports, run, new ReadModelPublisher(ports, run, claims.lease()::check), version,
                        ports.clock().instant().atOffset(java.time.ZoneOffset.UTC).toLocalDate());
            }
        }
        published.set(result);
        StepCounts.record(contribution, 0, result.objectsWritten(), 0);
        return RepeatStatus.FINISHED;
    }
}
