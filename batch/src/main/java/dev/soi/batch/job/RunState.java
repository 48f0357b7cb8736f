package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.manifest.ManifestJournal;
import dev.soi.batch.manifest.RunManifest;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.Submission;
import dev.soi.core.port.Lease;
import dev.soi.core.port.ReceivedMessage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepContribution;

/**
 * The state of one command execution, kept in its {@link JobExecution}'s execution context under {@link #KEY}
 * (the job repository is resourceless, so nothing here is ever serialized). Each step leaves one typed result
 * here, written once by that step and read by the later ones; only the lease and the run's own manifest entry
 * move as the run goes on. Steps run one after another, except the two branches of {@code run}'s split after the
 * commit: {@code delete-messages} reads only the drain result and the held messages (thread-safe), the other branch
 * writes the rest, and the split's start and join order both against the steps before and after. The lease alone
 * is also written by the {@link Heartbeat} thread, hence volatile.
 */
public final class RunState {
    public static final String KEY = "soi.run";

    private final Command command;
    private final RunId runId;
    private final Instant startedAt;
    private final long startedNanos = System.nanoTime();
    private final boolean full;
    private final ManifestJournal journal;

    private volatile Lease lease;
    private Lease heldBy;
    private Heartbeat heartbeat;
    private final HeldMessages held = new HeldMessages();
    private Recovery recovery = Recovery.NONE;
    private Drain drain = Drain.NONE;
    private ManifestJournal.Entry manifest;
    private Written written = Written.NONE;
    private int partitionsRegistered;
    private Rebuilt rebuilt;
    private int versionsExpired;
    private String bootstrapVersion;
    private DeadLetterResult deadLetters = DeadLetterResult.NONE;
    private StackStatus status;
    private LocalDate compactThrough;
    private Compacted compacted = Compacted.NONE;
    private int oldFoldersDeleted;

    RunState(Command command, RunId runId, Instant startedAt, boolean full, ManifestJournal journal) {
        this.command = requireNonNull(command, "command");
        this.runId = requireNonNull(runId, "run id");
        this.startedAt = requireNonNull(startedAt, "started at");
        this.full = full;
        this.journal = requireNonNull(journal, "manifest journal");
    }

    /** The state of the execution a step contributes to. */
    static RunState of(StepContribution contribution) {
        return of(contribution.getStepExecution().getJobExecution());
    }

    public static RunState of(JobExecution execution) {
        Object state = execution.getExecutionContext().get(KEY);
        if (state == null) {
            throw new IllegalStateException("job execution " + execution.getId() + " has no run state; launch jobs through BatchCommands");
        }
        return (RunState) state;
    }

    // ------------------------------------------------------------------ step results

    /**
     * What the recover step found: runs rolled back, committed runs this run carries, and the latest version the
     * last finished run published (null before the first publication).
     */
    public record Recovery(List<String> rolledBack, List<ManifestJournal.Entry> carried, String lastPublished) {
        static final Recovery NONE = new Recovery(List.of(), List.of(), null);

        public Recovery {
            rolledBack = List.copyOf(rolledBack);
            carried = List.copyOf(carried);
        }

        public List<String> carriedRunIds() {
            return carried.stream().map(ManifestJournal.Entry::runId).toList();
        }

        Set<PitPartition> partitions() {
            Set<PitPartition> partitions = new TreeSet<>();
            carried.forEach(e -> partitions.addAll(e.manifest().pitPartitions()));
            return partitions;
        }
    }

    /**
     * A decoded message ready to apply. The message is kept without its body (the submission holds the
     * content), so a large backlog is not held twice; {@code payloadKey} is its claim check, if any.
     */
    public record Drained(ReceivedMessage message, Submission submission, String payloadKey) {}

    /**
     * What the drain step took from the queue: submissions to apply (one per id, sorted by unit, date, id) and
     * messages only to delete (duplicates within the run, submissions an earlier run committed). {@code reachedEnd}:
     * every receiver stopped at the end of the queue, none on the budget.
     */
    public record Drain(List<Drained> toApply, List<Drained> toDelete, long received, long receivedBytes, long duplicates,
                        long alreadyCommitted, long deadLettered, List<String> unitsOutsideRegistry, boolean reachedEnd) {
        static final Drain NONE = new Drain(List.of(), List.of(), 0, 0, 0, 0, 0, List.of(), false);

        public Drain {
            toApply = List.copyOf(toApply);
            toDelete = List.copyOf(toDelete);
            unitsOutsideRegistry = List.copyOf(unitsOutsideRegistry);
        }
    }

    /** The PIT files the write step committed. */
    public record Written(List<RunManifest.FileEntry> files, long rows, long bytes) {
        static final Written NONE = new Written(List.of(), 0, 0);

        public Written {
            files = List.copyOf(files);
        }
    }

    /** What a dead-letter command saw and redrove; {@code notFound}: requested submission ids not in the queue. */
    public record DeadLetterResult(List<DeadLetter> seen, List<DeadLetter> redriven, List<String> notFound) {
        static final DeadLetterResult NONE = new DeadLetterResult(List.of(), List.of(), List.of());

        public DeadLetterResult {
            seen = List.copyOf(seen);
            redriven = List.copyOf(redriven);
            notFound = List.copyOf(notFound);
        }
    }

    /** What the compaction steps did: partitions compacted (and failed, undone), their files and bytes before and after. */
    public record Compacted(int partitions, int failed, long filesBefore, long filesAfter, long bytesBefore, long bytesAfter) {
        static final Compacted NONE = new Compacted(0, 0, 0, 0, 0, 0);

        Compacted plus(long files, long newFiles, long bytes, long newBytes) {
            return new Compacted(partitions + 1, failed, filesBefore + files, filesAfter + newFiles, bytesBefore + bytes, bytesAfter + newBytes);
        }

        Compacted failure() {
            return new Compacted(partitions, failed + 1, filesBefore, filesAfter, bytesBefore, bytesAfter);
        }
    }

    /** The latest version the rebuild swapped in. */
    public record Rebuilt(String version, long rows, boolean incremental) {}

    // ------------------------------------------------------------------ accessors

    public Command command() {
        return command;
    }

    public RunId runId() {
        return runId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    public boolean full() {
        return full;
    }

    ManifestJournal journal() {
        return journal;
    }

    /** The lease, or null before the lease step took it (or when another run held it). */
    public Lease lease() {
        return lease;
    }

    void lease(Lease newLease) {
        this.lease = requireNonNull(newLease, "lease");
    }

    /** The live lease of another run that kept this one from starting, or null. */
    public Lease heldBy() {
        return heldBy;
    }

    void heldBy(Lease other) {
        this.heldBy = other;
    }

    /** The messages this run received and has not yet deleted. */
    HeldMessages held() {
        return held;
    }

    /** The heartbeat keeping the lease alive, or null when the run holds no lease. */
    Heartbeat heartbeat() {
        return heartbeat;
    }

    void heartbeat(Heartbeat started) {
        this.heartbeat = requireNonNull(started, "heartbeat");
    }

    public Recovery recovery() {
        return recovery;
    }

    void recovery(Recovery result) {
        this.recovery = requireNonNull(result, "recovery");
    }

    public Drain drain() {
        return drain;
    }

    void drain(Drain result) {
        this.drain = requireNonNull(result, "drain");
    }

    /** This run's own manifest as last written, or null before the write step opened it. */
    public ManifestJournal.Entry manifest() {
        return manifest;
    }

    void manifest(ManifestJournal.Entry entry) {
        this.manifest = requireNonNull(entry, "manifest");
    }

    public Written written() {
        return written;
    }

    void written(Written result) {
        this.written = requireNonNull(result, "written");
    }

    public int partitionsRegistered() {
        return partitionsRegistered;
    }

    void partitionsRegistered(int count) {
        this.partitionsRegistered = count;
    }

    /** The version this run swapped in, or null if it did not rebuild. */
    public Rebuilt rebuilt() {
        return rebuilt;
    }

    void rebuilt(Rebuilt result) {
        this.rebuilt = requireNonNull(result, "rebuilt");
    }

    public int versionsExpired() {
        return versionsExpired;
    }

    void versionsExpired(int count) {
        this.versionsExpired = count;
    }

    /** What the status command read, or null for other commands. */
    public StackStatus status() {
        return status;
    }

    void status(StackStatus read) {
        this.status = requireNonNull(read, "status");
    }

    public DeadLetterResult deadLetters() {
        return deadLetters;
    }

    void deadLetters(DeadLetterResult result) {
        this.deadLetters = requireNonNull(result, "dead letters");
    }

    /** The version bootstrap created the latest table at (if it did not exist yet), or null. */
    public String bootstrapVersion() {
        return bootstrapVersion;
    }

    void bootstrapVersion(String version) {
        this.bootstrapVersion = version;
    }

    /** The last day {@code compact --through} compacts, or null for the scheduled cut-off. */
    public LocalDate compactThrough() {
        return compactThrough;
    }

    void compactThrough(LocalDate day) {
        this.compactThrough = day;
    }

    public Compacted compacted() {
        return compacted;
    }

    void compacted(Compacted result) {
        this.compacted = requireNonNull(result, "compacted");
    }

    public int oldFoldersDeleted() {
        return oldFoldersDeleted;
    }

    void oldFoldersDeleted(int count) {
        this.oldFoldersDeleted = count;
    }

    /** Whether this execution compacts: the compact command always, a run after its own work when it holds the lease. */
    boolean compacts() {
        return lease != null && (command == Command.COMPACT || command == Command.RUN);
    }

    /** Whether the tables change in this run: new submissions, carried commits, or an explicit rebuild. */
    boolean changesTables() {
        return !drain.toApply().isEmpty() || !recovery.carried().isEmpty() || command == Command.REBUILD_LATEST;
    }

    /** Business units whose data this run changed, sorted. */
    public List<String> unitsChanged() {
        Set<String> units = new TreeSet<>();
        drain.toApply().forEach(d -> units.add(d.submission().businessUnit().code()));
        recovery.carried().forEach(e -> e.manifest().partitions().forEach(p -> units.add(p.businessUnit())));
        return List.copyOf(units);
    }
}
