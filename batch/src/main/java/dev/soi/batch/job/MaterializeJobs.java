package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.util.List;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.FlowBuilder;
import org.springframework.batch.core.job.builder.FlowJobBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.flow.Flow;
import org.springframework.batch.core.job.flow.support.SimpleFlow;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * The jobs, one per {@link Command}, and the one place that says which steps each runs in which order:
 *
 * <pre>
 *   run             lease ─LEASE_HELD─▶ end
 *                     └─▶ recover ▶ drain ▶ write-pit-files ▶ commit-manifest
 *                         ▶ ┬ delete-messages                              ┬ ▶ finish-compactions ▶ compact-partitions
 *                           └ register-partitions ▶ rebuild-latest ────────┘ ▶ publish-event ▶ expire-old-versions
 *   rebuild-latest  lease ─LEASE_HELD─▶ end
 *                     └─▶ recover ▶ write-pit-files ▶ commit-manifest ▶ register-partitions
 *                         ▶ rebuild-latest ▶ publish-event ▶ expire-old-versions
 *   bootstrap       bootstrap
 *   dlq-list        dlq-list
 *   dlq-redrive     dlq-redrive
 *   status          status
 *   compact         lease ─LEASE_HELD─▶ end
 *                     └─▶ recover ▶ finish-compactions ▶ compact-partitions ▶ publish-event
 * </pre>
 *
 * After the commit, {@code run} deletes its messages while it registers the partitions and rebuilds the latest
 * table (a split flow, the two branches on their own threads): both only need the commit, neither needs the
 * other, and the next step starts when both ended (see docs/commit-protocol.md, "What runs side by side").
 * Every job has {@link RunLifecycle} as its listener. The step objects hold only the ports, so one set serves
 * every execution; a job is built over the job repository of the execution that runs it.
 */
public final class MaterializeJobs {
    private final RunLifecycle lifecycle;
    private final Tasklet lease;
    private final Tasklet recover;
    private final Tasklet drain;
    private final Tasklet writePitFiles;
    private final Tasklet commitManifest;
    private final Tasklet deleteMessages;
    private final Tasklet registerPartitions;
    private final Tasklet rebuildLatest;
    private final Tasklet publishEvent;
    private final Tasklet expireOldVersions;
    private final Tasklet bootstrap;
    private final Tasklet dlqList;
    private final Tasklet dlqRedrive;
    private final Tasklet status;
    private final Tasklet finishCompactions;
    private final Tasklet compactPartitions;
    private final boolean overlapDeletes;

    public MaterializeJobs(BatchPorts ports) {
        this(ports, true);
    }

    /** With {@code overlapDeletes} false, {@code run} deletes its messages before it registers and rebuilds (measurement only). */
    public MaterializeJobs(BatchPorts ports, boolean overlapDeletes) {
        requireNonNull(ports, "ports");
        this.overlapDeletes = overlapDeletes;
        Compactions compactions = new Compactions(ports);
        RollBack rollBack = new RollBack(ports, compactions);
        this.lifecycle = new RunLifecycle(ports, rollBack);
        this.lease = new AcquireLease(ports);
        this.recover = new Recover(ports, rollBack);
        this.drain = new Drain(ports);
        this.writePitFiles = new WritePitFiles(ports, compactions);
        this.commitManifest = new CommitManifest(ports);
        this.deleteMessages = new DeleteMessages(ports);
        this.registerPartitions = new RegisterPartitions(ports, compactions);
        this.rebuildLatest = new RebuildLatest(ports, rollBack);
        this.publishEvent = new PublishEvent(ports);
        this.expireOldVersions = new ExpireOldVersions(ports);
        this.bootstrap = new Bootstrap(ports, compactions);
        this.dlqList = DeadLetters.list(ports);
        this.dlqRedrive = DeadLetters.redrive(ports);
        this.status = new ReadStatus(ports);
        this.finishCompactions = new FinishCompactions(ports, compactions);
        this.compactPartitions = new CompactPartitions(ports, compactions);
    }

    /** The job of {@code command}, over {@code repository}. */
    public Job job(Command command, JobRepository repository) {
        return switch (command) {
            case RUN -> !overlapDeletes ? leasedJob(command, repository, List.of(
                    step("recover", recover, repository),
                    step("drain", drain, repository),
                    step("write-pit-files", writePitFiles, repository),
                    step("commit-manifest", commitManifest, repository),
                    step("delete-messages", deleteMessages, repository),
                    step("register-partitions", registerPartitions, repository),
                    step("rebuild-latest", rebuildLatest, repository),
                    step("finish-compactions", finishCompactions, repository),
                    step("compact-partitions", compactPartitions, repository),
                    step("publish-event", publishEvent, repository),
                    step("expire-old-versions", expireOldVersions, repository)))
                    : leasedJob(command, repository, List.of(
                    step("recover", recover, repository),
                    step("drain", drain, repository),
                    step("write-pit-files", writePitFiles, repository),
                    step("commit-manifest", commitManifest, repository),
                    split("after-commit",
                            flow("deletes", step("delete-messages", deleteMessages, repository)),
                            flow("tables", step("register-partitions", registerPartitions, repository),
                                    step("rebuild-latest", rebuildLatest, repository))),
                    step("finish-compactions", finishCompactions, repository),
                    step("compact-partitions", compactPartitions, repository),
                    step("publish-event", publishEvent, repository),
                    step("expire-old-versions", expireOldVersions, repository)));
            case COMPACT -> leasedJob(command, repository, List.of(
                    step("recover", recover, repository),
                    step("finish-compactions", finishCompactions, repository),
                    step("compact-partitions", compactPartitions, repository),
                    step("publish-event", publishEvent, repository)));
            case REBUILD_LATEST -> leasedJob(command, repository, List.of(
                    step("recover", recover, repository),
                    step("write-pit-files", writePitFiles, repository),
                    step("commit-manifest", commitManifest, repository),
                    step("register-partitions", registerPartitions, repository),
                    step("rebuild-latest", rebuildLatest, repository),
                    step("publish-event", publishEvent, repository),
                    step("expire-old-versions", expireOldVersions, repository)));
            case BOOTSTRAP -> singleStepJob(command, "bootstrap", bootstrap, repository);
            case DLQ_LIST -> singleStepJob(command, "dlq-list", dlqList, repository);
            case DLQ_REDRIVE -> singleStepJob(command, "dlq-redrive", dlqRedrive, repository);
            case STATUS -> singleStepJob(command, "status", status, repository);
        };
    }

    /** The lease step, ending the job when another run holds the lease, then {@code stages} (steps or flows) in order. */
    private Job leasedJob(Command command, JobRepository repository, List<?> stages) {
        Step leaseStep = step("lease", lease, repository);
        FlowBuilder<FlowJobBuilder> flow = new JobBuilder(command.label(), repository).listener(lifecycle)
                .start(leaseStep).on(AcquireLease.LEASE_HELD).end(AcquireLease.LEASE_HELD)
                .from(leaseStep).on("FAILED").fail()
                .from(leaseStep).on("*").to((Step) stages.get(0));
        for (Object next : stages.subList(1, stages.size())) {
            flow = next instanceof Flow nested ? flow.next(nested) : flow.next((Step) next);
        }
        return flow.end().build();
    }

    /** Steps one after another, as one branch of a split. */
    private static Flow flow(String name, Step first, Step... then) {
        FlowBuilder<SimpleFlow> flow = new FlowBuilder<SimpleFlow>(name).start(first);
        for (Step next : then) {
            flow = flow.next(next);
        }
        return flow.build();
    }

    /**
     * {@code branches} side by side, each on its own daemon thread; the split ends when all have ended, with the
     * worst status among them (one failed branch fails the job, after the other branch ended too).
     */
    private static Flow split(String name, Flow... branches) {
        SimpleAsyncTaskExecutor threads = new SimpleAsyncTaskExecutor("soi-" + name + "-");
        threads.setDaemon(true);
        return new FlowBuilder<SimpleFlow>(name).split(threads).add(branches).build();
    }

    private Job singleStepJob(Command command, String name, Tasklet tasklet, JobRepository repository) {
        return new JobBuilder(command.label(), repository).listener(lifecycle).start(step(name, tasklet, repository)).build();
    }

    private static Step step(String name, Tasklet tasklet, JobRepository repository) {
        return new StepBuilder(name, repository).tasklet(tasklet).build();
    }
}
