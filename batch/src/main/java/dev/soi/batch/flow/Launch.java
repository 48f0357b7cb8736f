package dev.soi.batch.flow;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.compaction.CompactPartitions;
import dev.soi.batch.compaction.Compactions;
import dev.soi.batch.compaction.FinishCompactions;
import dev.soi.batch.ingest.Delivery;
import dev.soi.batch.ingest.Drain;
import dev.soi.batch.ingest.Lease;
import dev.soi.batch.latest.CheckLatest;
import dev.soi.batch.latest.ExpireOldVersions;
import dev.soi.batch.latest.RebuildLatest;
import dev.soi.batch.ops.DeadLetters;
import dev.soi.batch.ops.DetectOutOfOrder;
import dev.soi.batch.ops.DlqRedrive;
import dev.soi.batch.ops.PublishEvent;
import dev.soi.batch.ops.RunResults;
import dev.soi.batch.pit.Bootstrap;
import dev.soi.batch.pit.CommitManifest;
import dev.soi.batch.pit.DeleteMessages;
import dev.soi.batch.pit.Recover;
import dev.soi.batch.pit.RegisterPartitions;
import dev.soi.batch.pit.RollBack;
import dev.soi.batch.pit.WritePitFiles;
import dev.soi.batch.readmodel.BootstrapReadModel;
import dev.soi.batch.readmodel.CheckReadModel;
import dev.soi.batch.readmodel.PublishReadModel;
import dev.soi.batch.readmodel.RecordDeadLetters;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.Claims;
import dev.soi.batch.run.RunContext;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;

/**
 * One execution's steps, built for it: each step object gets by constructor the run's context, the claims it uses and
 * the results it reads and writes, and nothing else. Which steps a command runs, and in which order, is
 * {@link MaterializeJobs}'s to say; this class only says what each step is given.
 */
final class Launch {
    private final BatchPorts ports;
    private final RunContext run;
    private final Claims claims;
    private final RunResults results;
    private final Compactions compactions;
    private final RollBack rollBack;
    private final JobRepository repository;

    Launch(BatchPorts ports, RunContext run, JobRepository repository) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.repository = requireNonNull(repository, "repository");
        this.claims = Claims.of(ports, run);
        this.results = RunResults.of(run);
        this.compactions = new Compactions(ports, run.runId().value());
        this.rollBack = new RollBack(ports, compactions);
    }

    RunContext run() {
        return run;
    }

    RunResults results() {
        return results;
    }

    JobRepository repository() {
        return repository;
    }

    RunLifecycle lifecycle() {
        return new RunLifecycle(ports, claims, results, rollBack);
    }

    QuietRunDecider quietRunDecider() {
        return new QuietRunDecider(results.recovery(), results.drained());
    }

    Step lease() {
        return step("lease", new Lease(run, claims, results.refused()));
    }

    Step recover() {
        return step("recover", new Recover(ports, run, rollBack, results.recovery()));
    }

    Step checkLatest() {
        return step("check-latest", new CheckLatest(ports, run));
    }

    Step checkReadModel() {
        return step("check-read-model", new CheckReadModel(ports, run, claims.lease(), results.readModelRepaired()));
    }

    Step drain() {
        return step("drain", new Drain(ports, run, claims.messages(), results.recovery(), results.drained()));
    }

    /** {@code write-pit-files} of the drained submissions. */
    Step writePitFiles() {
        return writePitFiles(() -> results.drained().get().toApply());
    }

    /** {@code write-pit-files} with no submission: {@code rebuild-latest}'s manifest, for the rebuild's lineage. */
    Step writeNoPitFiles() {
        return writePitFiles(List::of);
    }

    private Step writePitFiles(Supplier<List<Delivery>> toApply) {
        return step("write-pit-files", new WritePitFiles(ports, run, claims.lease(), compactions, results.recovery(), toApply,
                results.manifest(), results.written()));
    }

    Step commitManifest() {
        return step("commit-manifest", new CommitManifest(ports, run, claims.lease(), results.manifest()));
    }

    /** {@code delete-messages}; each call is a step object of its own, for a flow that reaches the step by two ways. */
    Step deleteMessages() {
        return step("delete-messages", new DeleteMessages(ports, claims.messages(), results.drained()));
    }

    Step registerPartitions() {
        return step("register-partitions", new RegisterPartitions(ports, run, compactions, results.recovery(), results.manifest(),
                results.registered()));
    }

    Step detectOutOfOrder() {
        return step("detect-out-of-order", new DetectOutOfOrder(ports, run, results.manifest(), results.outOfOrder()));
    }

    Step rebuildLatest() {
        return step("rebuild-latest", new RebuildLatest(ports, run, claims.lease(), results.recovery(), results.manifest(),
                results.rebuilt(), results.latestBuild()));
    }

    Step publishReadModel() {
        return step("publish-read-model", new PublishReadModel(ports, run, claims.lease(), results.recovery(), results.manifest(),
                results.rebuilt(), results.published()));
    }

    /** {@code publish-read-model} of {@code bootstrap}: the whole read model, only if it lacks the version the table starts at. */
    Step bootstrapReadModel() {
        return step("publish-read-model", new BootstrapReadModel(ports, run, claims, results.bootstrap(), results.published()));
    }

    Step recordDeadLetters() {
        return step("record-dead-letters", new RecordDeadLetters(ports, run, results.deadLettersRecorded()));
    }

    Step expireOldVersions() {
        return step("expire-old-versions", new ExpireOldVersions(ports, run, claims.lease(), results.rebuilt(), results.expired()));
    }

    /** {@code finish-compactions}; {@code stopAtFailure}: a partition that fails fails the step. */
    Step finishCompactions(boolean stopAtFailure) {
        return step("finish-compactions", new FinishCompactions(ports, run, compactions, stopAtFailure, results.retired()));
    }

    /** {@code compact-partitions} of at most {@code limit} partitions; {@code stopAtFailure}: a failed one fails the step. */
    Step compactPartitions(int limit, boolean stopAtFailure) {
        return step("compact-partitions", new CompactPartitions(ports, run, claims.lease(), compactions, limit, stopAtFailure,
                results.compacted()));
    }

    Step publishEvent() {
        return step("publish-event", new PublishEvent(ports, results));
    }

    Step bootstrap() {
        return step("bootstrap", new Bootstrap(ports, run, compactions, results.registered(), results.bootstrap()));
    }

    Step dlqRedrive() {
        return step("dlq-redrive", new DlqRedrive(ports, run, new DeadLetters(ports), run.parameters().submissionIds(), results.redriven()));
    }

    private Step step(String name, Tasklet tasklet) {
        return new StepBuilder(name, repository).tasklet(tasklet).build();
    }
}
