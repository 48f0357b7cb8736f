package dev.soi.batch.ops;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.StepCounts;
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

/**
 * Step {@code publish-event}: the run event, from every result the run's steps left (a quiet run's event says it
 * changed nothing, and so serves as a heartbeat). A bus failure is logged, not fatal: the data is committed.
 */
public final class PublishEvent implements Tasklet {
    public static final String EVENT_SOURCE = "dev.soi.security-of-interest";
    public static final String EVENT_DETAIL_TYPE = "SecurityOfInterestRunCompleted";
    private static final Logger log = LoggerFactory.getLogger(PublishEvent.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BatchPorts ports;
    private final RunResults results;

    public PublishEvent(BatchPorts ports, RunResults results) {
        this.ports = requireNonNull(ports, "ports");
        this.results = requireNonNull(results, "results");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ObjectNode detail = JSON.createObjectNode();
        detail.put("run_id", results.context().runId().value());
        detail.put("command", results.context().command().label());
        ArrayNode units = detail.putArray("units_changed");
        results.unitsChanged().forEach(units::add);
        detail.put("submissions", results.drainedOrNone().toApply().size());
        detail.put("rows_written", results.writtenOrNone().rows());
        ArrayNode files = detail.putArray("files");
        results.writtenOrNone().files().forEach(f -> files.add(f.key()));
        results.rebuilt().optional().ifPresentOrElse(
                r -> detail.put("latest_version_location", ports.store().location(StorageLayout.latestVersionPrefix(r.version()))),
                () -> detail.putNull("latest_version_location"));
        detail.put("duration_ms", results.context().elapsedMillis());
        detail.put("dead_lettered", results.drainedOrNone().deadLettered());
        detail.set("compaction", JSON.valueToTree(results.compaction().toMap()));
        try {
            ports.events().publish(new DomainEvent(EVENT_SOURCE, EVENT_DETAIL_TYPE, JSON.writeValueAsString(detail)));
            StepCounts.record(contribution, 0, 1, 0);
        } catch (EventPublishException e) {
            log.warn("{}: run event not published: {}", results.context(), e.getMessage());
        }
        return RepeatStatus.FINISHED;
    }
}
