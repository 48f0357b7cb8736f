package dev.soi.batch.flow;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.ingest.Lease;
import dev.soi.batch.ops.RunResults;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.RunContext;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.FlowJobBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;

/**
 * The jobs, one per command that changes something, and the one place that says which steps each runs in which order:
 *
 * <pre>
 *   run             lease ─LEASE_HELD─▶ end
 *                     └▶ recover ▶ check-latest ▶ check-read-model ▶ drain ◆ what the drain found
 *                          ├ CHANGES      ▶ write-pit-files ▶ commit-manifest ▶ delete-messages ▶ register-partitions
 *                          │                ▶ detect-out-of-order ▶ rebuild-latest ▶ publish-read-model ▶ expire-old-versions ─┐
 *                          ├ REDELIVERIES ▶ delete-messages ───────────────────────────────────────────────────────────────────┤
 *                          └ QUIET ────────────────────────────────────────────────────────────────────────────────────────────┴▶ record-dead-letters
 *                                         ▶ finish-compactions ▶ compact-partitions ▶ publish-event
 *                                         (neither compaction step with soi.batch.compaction.partitions-per-run=0)
 *   rebuild-latest  lease ─LEASE_HELD─▶ end
 *                     └▶ recover ▶ write-pit-files ▶ commit-manifest ▶ register-partitions ▶ rebuild-latest
 *                          ▶ publish-read-model ▶ expire-old-versions ▶ publish-event
 *   compact         lease ─LEASE_HELD─▶ end
 *                     └▶ recover ▶ finish-compactions ▶ compact-partitions ▶ publish-event
 *   bootstrap       bootstrap ▶ publish-read-model (takes the lease only if the read model lacks the table's version)
 *   dlq-redrive     dlq-redrive
 * </pre>
 *
 * A run that received only messages of submissions already in the PIT table (SQS delivered one again, or a redrive sent
 * one twice) deletes them and changes no table; its {@code delete-messages} is a step object of its own, since in the
 * flow a step has one successor. ({@code status} and {@code dlq-list} only read: plain services answer them, see
 * {@code BatchCommands}.) A job and its
 * step objects are built for one execution ({@link Launch}), over that execution's job repository: the steps get the
 * run's context, claims and earlier results by constructor, so nothing crosses steps through Spring Batch's execution
 * context. Steps run one after another on the caller's thread. Every job has {@link RunLifecycle} as its listener.
 */
public final class MaterializeJobs {
    private final BatchPorts ports;

    public MaterializeJobs(BatchPorts ports) {
        this.ports = requireNonNull(ports, "ports");
    }

    /** A job built for one execution, and the results its steps will leave. */
    public record Prepared(Job job, RunResults results) {}

    /** The job of {@code run}'s command, its steps built for {@code run}, over {@code repository}. */
    public Prepared prepare(RunContext run, JobRepository repository) {
        Launch launch = new Launch(ports, run, repository);
        Job job = switch (run.command()) {
            case RUN -> run(launch);
            case REBUILD_LATEST -> leased(launch).next(launch.writeNoPitFiles()).next(launch.commitManifest())
                    .next(launch.registerPartitions()).next(launch.rebuildLatest()).next(launch.publishReadModel())
                    .next(launch.expireOldVersions()).next(launch.publishEvent()).end().build();
            case COMPACT -> leased(launch).next(launch.finishCompactions(true)).next(launch.compactPartitions(Integer.MAX_VALUE, true))
                    .next(launch.publishEvent()).end().build();
            case BOOTSTRAP -> new JobBuilder(run.command().label(), repository).listener(launch.lifecycle())
                    .start(launch.bootstrap()).next(launch.bootstrapReadModel()).build();
            case DLQ_REDRIVE -> single(launch, launch.dlqRedrive());
            case STATUS, DLQ_LIST -> throw new IllegalArgumentException(run.command().label()
                    + " only reads and runs no job: BatchCommands answers it");
        };
        return new Prepared(job, launch.results());
    }

    private Job run(Launch launch) {
        QuietRunDecider found = launch.quietRunDecider();
        Step recordDeadLetters = launch.recordDeadLetters();
        int perRun = ports.properties().compaction().partitionsPerRun();
        FlowBuilder<FlowJobBuilder> flow = leased(launch).next(launch.checkLatest()).next(launch.checkReadModel()).next(launch.drain()).next(found)
                .on(QuietRunDecider.CHANGES.getName()).to(launch.writePitFiles()).next(launch.commitManifest())
                .next(launch.deleteMessages()).next(launch.registerPartitions()).next(launch.detectOutOfOrder())
                .next(launch.rebuildLatest()).next(launch.publishReadModel()).next(launch.expireOldVersions()).next(recordDeadLetters)
                .from(found).on(QuietRunDecider.REDELIVERIES.getName()).to(launch.deleteMessages()).next(recordDeadLetters)
                .from(found).on(QuietRunDecider.QUIET.getName()).to(recordDeadLetters)
                .from(recordDeadLetters);
        if (perRun == 0) {
            // With scheduled compaction off, the run touches no compaction index at all: compact finishes what it left.
            return flow.next(launch.publishEvent()).end().build();
        }
        return flow.next(launch.finishCompactions(false)).next(launch.compactPartitions(perRun, false))
                .next(launch.publishEvent()).end().build();
    }

    /** The lease step, ending the job when another run holds the lease, then recover. */
    private FlowBuilder<FlowJobBuilder> leased(Launch launch) {
        Step lease = launch.lease();
        return new JobBuilder(launch.run().command().label(), launch.repository()).listener(launch.lifecycle())
                .start(lease).on(Lease.LEASE_HELD).end(Lease.LEASE_HELD)
                .from(lease).on("FAILED").fail()
                .from(lease).on("*").to(launch.recover());
    }

    private Job single(Launch launch, Step step) {
        return new JobBuilder(launch.run().command().label(), launch.repository()).listener(launch.lifecycle())
                .start(step).build();
    }
}
