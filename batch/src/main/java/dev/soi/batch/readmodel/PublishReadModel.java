package dev.soi.batch.readmodel;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.journal.OwnManifest;
import dev.soi.batch.journal.Recovery;
import dev.soi.batch.latest.Rebuilt;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.Command;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.run.HeldLease;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.StepTimings;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.readmodel.PublishedMarker;
import dev.soi.core.readmodel.ReadModelObjects;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
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
 * Step {@code publish-read-model}, right after the swap: publishes what the API answers from the version just swapped in,
 * then marks the run and the committed runs it carries DONE. Until then they stay COMMITTED, so a crash anywhere in
 * between is finished by the next run, which carries them: it rebuilds and publishes their packages again. A run is
 * DONE only once the read model agrees with the latest table.
 *
 * <p>Publishes only what changed when the read model holds the version the incremental rebuild started from (its marker
 * says so): the packages this run and the runs it carries wrote, read back from the new version with one statement
 * ({@code athena/read_model_changes}), their units' listings and their submissions' statuses. Otherwise (a full rebuild,
 * {@code rebuild-latest}, the first publication, a crash during a full publication) the whole read model again
 * ({@code athena/read_model_full}). A rebuild that swapped nothing in (a full build stopped at the invocation's deadline)
 * publishes nothing and leaves the runs COMMITTED: the invocation that finishes the build publishes and marks them DONE.
 * Write count: objects written.
 */
public final class PublishReadModel implements Tasklet {
    /** How far back a full publication writes the statuses of the submissions applied (older ones keep theirs). */
    static final int STATUS_DAYS = 1;
    private static final Logger log = LoggerFactory.getLogger(PublishReadModel.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final HeldLease lease;
    private final WriteOnce<Recovery> recovery;
    private final OwnManifest manifest;
    private final WriteOnce<Rebuilt> rebuilt;
    private final WriteOnce<Published> published;

    /** @param published where it leaves what it wrote */
    public PublishReadModel(BatchPorts ports, RunContext run, HeldLease lease, WriteOnce<Recovery> recovery, OwnManifest manifest,
                            WriteOnce<Rebuilt> rebuilt, WriteOnce<Published> published) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.lease = requireNonNull(lease, "lease");
        this.recovery = requireNonNull(recovery, "recovery");
        this.manifest = requireNonNull(manifest, "manifest");
        this.rebuilt = requireNonNull(rebuilt, "rebuilt");
        this.published = requireNonNull(published, "published");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        if (rebuilt.optional().isEmpty()) {
            log.info("{}: the latest table was not swapped (its full rebuild goes on in a later invocation): the read model "
                    + "stays at the version it holds", run);
            return RepeatStatus.FINISHED;
        }
        String version = rebuilt.get().version();
        ReadModelPublisher publisher = new ReadModelPublisher(ports, run, lease::check);
        Optional<PublishedMarker> marker = new ReadModelObjects(ports.store()).marker();
        boolean changesOnly = run.command() == Command.RUN && rebuilt.get().incremental()
                && marker.map(m -> m.holds(recovery.get().lastPublished())).orElse(false);
        Published result;
        Window window = window();
        if (changesOnly) {
            result = publisher.changes(ReadModelRows.of(ports.engine().query(ports.statements().readModelChanges(window.start(),
                    window.sinceRun()))), version);
        } else {
            log.info("{}: publishing the whole read model ({})", run, marker.map(m -> "it holds " + (m.complete() ? "" : "part of ")
                    + "version " + m.latestVersion() + ", the rebuild started from " + recovery.get().lastPublished())
                    .orElse("none was published yet"));
            result = full(ports, run, publisher, version, window.start());
        }
        ports.faults().at(FaultPoint.AFTER_READ_MODEL);
        for (ManifestJournal.Entry carried : recovery.get().carried()) {
            run.journal().markDone(carried, null);
        }
        manifest.markDone(StepTimings.finished(contribution.getStepExecution().getJobExecution()));
        published.set(result);
        log.info("{}: read model at version {} ({}): {} packages written, {} deleted, {} statuses, {} listing pages", run, version,
                result.publication(), result.packagesWritten(), result.packagesDeleted(), result.statusesWritten(), result.pagesWritten());
        StepCounts.record(contribution, 0, result.objectsWritten(), 0);
        return RepeatStatus.FINISHED;
    }

    /**
     * Republishes the whole read model from {@code version}, the version readers read, after {@link ReadModelDamage} found it
     * damaged: a full publication replaces every object it cannot read or that differs. Called under the lease.
     */
    public static Published republish(BatchPorts ports, RunContext run, HeldLease lease, String version) {
        return full(ports, run, new ReadModelPublisher(ports, run, lease::check), version,
                ports.clock().instant().atOffset(ZoneOffset.UTC).toLocalDate());
    }

    /**
     * The whole read model from the latest table as it stands, with the statuses of the submissions in the partitions from
     * {@code written} (what the runs wrote) or the last {@link #STATUS_DAYS} days, whichever starts earlier.
     */
    static Published full(BatchPorts ports, RunContext run, ReadModelPublisher publisher, String version, LocalDate written) {
        LocalDate recent = ports.clock().instant().atOffset(ZoneOffset.UTC).toLocalDate().minusDays(STATUS_DAYS);
        LocalDate from = written.isBefore(recent) ? written : recent;
        Set<BusinessUnit> registry = new TreeSet<>();
        ports.properties().units().forEach(u -> registry.add(BusinessUnit.of(u)));
        return publisher.full(ReadModelRows.of(ports.engine().query(ports.statements().readModelFull(from))), version, registry);
    }

    /** Where this run and the runs it carries wrote: their earliest partition date, and the earliest of their run ids. */
    private record Window(LocalDate start, String sinceRun) {}

    private Window window() {
        List<PitPartition> partitions = new ArrayList<>(manifest.current().map(m -> m.manifest().pitPartitions()).orElse(List.of()));
        RunId since = run.runId();
        for (ManifestJournal.Entry carried : recovery.get().carried()) {
            partitions.addAll(carried.manifest().pitPartitions());
            RunId carriedId = new RunId(carried.runId());
            since = carriedId.compareTo(since) < 0 ? carriedId : since;
        }
        LocalDate start = partitions.stream().map(PitPartition::requestDate).min(LocalDate::compareTo)
                .orElse(ports.clock().instant().atOffset(ZoneOffset.UTC).toLocalDate());
        return new Window(start, since.value());
    }
}
