package dev.soi.batch.ops;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.OwnManifest;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.RunContext;
import dev.soi.batch.run.StepCounts;
import dev.soi.batch.run.WriteOnce;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import java.time.LocalDate;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code detect-out-of-order}: how many of the submissions this run committed were stamped older than a version of
 * their package another run had already committed ({@code athena/count_out_of_order}, over the partitions from the run's
 * earliest request_date only). They are applied all the same and the latest table keeps the newer stamp; this makes it
 * visible: the run summary counts them, the Lambda's metric line carries the count, and a detection is recorded for
 * {@code status} ({@link OutOfOrder}). Arrival is told by the run that committed a row, not by run ids, which a clock
 * stepped back would misorder. Write count: the submissions found.
 */
public final class DetectOutOfOrder implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(DetectOutOfOrder.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final OwnManifest manifest;
    private final WriteOnce<OutOfOrder> found;

    public DetectOutOfOrder(BatchPorts ports, RunContext run, OwnManifest manifest, WriteOnce<OutOfOrder> found) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.manifest = requireNonNull(manifest, "manifest");
        this.found = requireNonNull(found, "found");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        Optional<LocalDate> windowStart = manifest.get().manifest().pitPartitions().stream().map(PitPartition::requestDate)
                .min(LocalDate::compareTo);
        OutOfOrder outOfOrder = new OutOfOrder(run.runId().value(), ports.clock().instant(), 0, null);
        if (windowStart.isPresent()) {
            QueryResult result;
            try {
                result = ports.engine().query(ports.statements().countOutOfOrder(windowStart.get(), run.runId()));
            } catch (QueryFailedException e) {
                throw new IllegalStateException("the submissions stamped out of order could not be counted: " + e.getMessage()
                        + ". If it names a PIT file, that file is damaged: restore it from the bucket's object versions, then run "
                        + "rebuild-latest --full", e);
            }
            if (result.rows().size() != 1) {
                throw new IllegalStateException("athena/count_out_of_order answered " + result.rows().size() + " rows instead of one");
            }
            long count = ((Number) result.value(0, "out_of_order")).longValue();
            if (count > 0) {
                outOfOrder = new OutOfOrder(outOfOrder.runId(), outOfOrder.detectedAt(), count, String.valueOf(result.value(0, "example_submission_id")));
                outOfOrder.record(ports.store());
                log.warn("{}: {} submissions were stamped older than the version already committed for their package (e.g. {}); "
                        + "the latest table keeps the newer version", run, count, outOfOrder.exampleSubmissionId());
            }
        }
        found.set(outOfOrder);
        StepCounts.record(contribution, 0, outOfOrder.submissions(), 0);
        return RepeatStatus.FINISHED;
    }
}
