package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.RunSummary;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.EventPublishException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Step {@code publish-event}: the run summary event. A bus failure is logged, not fatal: the data is committed. */
public final class PublishEvent implements Tasklet {
    public static final String EVENT_SOURCE = "dev.soi.security-of-interest";
    public static final String EVENT_DETAIL_TYPE = "SecurityOfInterestRunCompleted";
    private static final Logger log = LoggerFactory.getLogger(PublishEvent.class);

    private final BatchPorts ports;
    private final JsonMapper json = JsonMapper.builder().build();

    public PublishEvent(BatchPorts ports) {
        this.ports = requireNonNull(ports, "ports");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        RunState run = RunState.of(contribution);
        ObjectNode detail = json.createObjectNode();
        detail.put("run_id", run.runId().value());
        detail.put("command", run.command().label());
        ArrayNode units = detail.putArray("units_changed");
        run.unitsChanged().forEach(units::add);
        detail.put("submissions", run.drain().toApply().size());
        detail.put("rows_written", run.written().rows());
        ArrayNode files = detail.putArray("files");
        run.written().files().forEach(f -> files.add(f.key()));
        if (run.rebuilt() != null) {
            detail.put("latest_version_location", ports.store().location(StorageLayout.latestVersionPrefix(run.rebuilt().version())));
        } else {
            detail.putNull("latest_version_location");
        }
        detail.put("duration_ms", run.elapsedMillis());
        detail.put("dead_lettered", run.drain().deadLettered());
        RunSummary.Compaction compaction = Summaries.compaction(run);
        ObjectNode compacted = detail.putObject("compaction");
        compacted.put("partitions_compacted", compaction.partitions());
        compacted.put("partitions_failed", compaction.failed());
        compacted.put("files_before", compaction.filesBefore());
        compacted.put("files_after", compaction.filesAfter());
        compacted.put("bytes_before", compaction.bytesBefore());
        compacted.put("bytes_after", compaction.bytesAfter());
        compacted.put("old_folders_deleted", compaction.oldFoldersDeleted());
        try {
            ports.events().publish(new DomainEvent(EVENT_SOURCE, EVENT_DETAIL_TYPE, json.writeValueAsString(detail)));
            StepCounts.record(contribution, 0, 1, 0);
        } catch (EventPublishException e) {
            log.warn("{} {}: run event not published: {}", run.command().label(), run.runId(), e.getMessage());
        }
        return RepeatStatus.FINISHED;
    }
}
