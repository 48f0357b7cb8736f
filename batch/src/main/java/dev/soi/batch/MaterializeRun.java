package dev.soi.batch;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.RunContext.Command;
import dev.soi.batch.RunContext.Drained;
import dev.soi.batch.RunContext.StoredManifest;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.message.InvalidMessageException;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.parquet.PitParquetWriter;
import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.EventPublishException;
import dev.soi.core.port.EventPublisher;
import dev.soi.core.port.Lease;
import dev.soi.core.port.LeaseLostException;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryResult;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.port.WriteOutcome;
import dev.soi.core.sql.TableStatements;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The materialisation run, as named steps over the ports. Plain Java: the Spring Batch job
 * ({@link BatchJobConfiguration}) calls the same steps in the same order, and tests call {@link #run()}.
 * The commit protocol the steps implement is written up in {@code docs/commit-protocol.md}.
 *
 * <p>One instance serves many executions (each has its own {@link RunContext}); the lease keeps
 * executions across processes from overlapping.
 */
public final class MaterializeRun {
    public static final String EVENT_SOURCE = "dev.soi.security-of-interest";
    public static final String EVENT_DETAIL_TYPE = "SecurityOfInterestRunCompleted";
    public static final String STAGING_TABLE_PREFIX = "security_of_interest_latest_stg_";

    private static final Logger log = LoggerFactory.getLogger(MaterializeRun.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final int DELETE_BATCH = 10;
    private static final int ROWS_BETWEEN_SIZE_CHECKS = 4096;

    /** A step of a command, by name; the Spring Batch job makes one Spring step of each. */
    public record NamedStep(String name, Consumer<RunContext> action) {}

    private final ObjectStore store;
    private final SubmissionQueue queue;
    private final QueryEngine engine;
    private final EventPublisher events;
    private final RunLease runLease;
    private final TableStatements statements;
    private final SubmissionMessages messages;
    private final Clock clock;
    private final Supplier<RunId> runIds;
    private final BatchProperties properties;
    private final FaultInjector faults;
    private final ManifestCodec codec = new ManifestCodec();
    private final JsonMapper json = JsonMapper.builder().build();

    public MaterializeRun(ObjectStore store, SubmissionQueue queue, QueryEngine engine, EventPublisher events,
                          RunLease runLease, TableStatements statements, SubmissionMessages messages, Clock clock,
                          Supplier<RunId> runIds, BatchProperties properties, FaultInjector faults) {
        this.store = requireNonNull(store, "object store");
        this.queue = requireNonNull(queue, "queue");
        this.engine = requireNonNull(engine, "query engine");
        this.events = requireNonNull(events, "event publisher");
        this.runLease = requireNonNull(runLease, "run lease");
        this.statements = requireNonNull(statements, "table statements");
        this.messages = requireNonNull(messages, "submission messages");
        this.clock = requireNonNull(clock, "clock");
        this.runIds = requireNonNull(runIds, "run id supplier");
        this.properties = requireNonNull(properties, "batch properties");
        this.faults = requireNonNull(faults, "fault injector");
    }

    /** A run id supplier from the clock and a secure random suffix. */
    public static Supplier<RunId> randomRunIds(Clock clock) {
        java.security.SecureRandom random = new java.security.SecureRandom();
        return () -> RunId.generate(clock.instant(), random);
    }

    // ------------------------------------------------------------------ commands

    /** The scheduled run: drain the queue into PIT files, commit, register, rebuild latest, publish. */
    public RunSummary run() {
        return execute(newContext(Command.RUN, false));
    }

    /**
     * Rebuilds the latest table on demand. With {@code full}, also re-registers every partition found under
     * the PIT folder and looks for unfinished runs over the whole manifest lookback, as a repair.
     */
    public RunSummary rebuildLatest(boolean full) {
        return execute(newContext(Command.REBUILD_LATEST, full));
    }

    /** Creates the database and both tables if missing. Idempotent; takes no lease (it changes no data). */
    public RunSummary bootstrap() {
        return execute(newContext(Command.BOOTSTRAP, false));
    }

    public RunContext newContext(Command command, boolean full) {
        return new RunContext(command, runIds.get(), clock.instant(), full);
    }

    /** The steps of a command, in order. */
    public List<NamedStep> steps(Command command) {
        return switch (command) {
            case RUN -> List.of(
                    new NamedStep("lease", this::lease),
                    new NamedStep("recover", this::recover),
                    new NamedStep("drain", this::drain),
                    new NamedStep("write-pit-files", this::writePitFiles),
                    new NamedStep("commit-manifest", this::commitManifest),
                    new NamedStep("delete-messages", this::deleteMessages),
                    new NamedStep("register-partitions", this::registerPartitions),
                    new NamedStep("rebuild-latest", this::rebuildLatest),
                    new NamedStep("publish-event", this::publishEvent),
                    new NamedStep("expire-old-versions", this::expireOldVersions),
                    new NamedStep("release", this::release));
            case REBUILD_LATEST -> List.of(
                    new NamedStep("lease", this::lease),
                    new NamedStep("recover", this::recover),
                    new NamedStep("write-pit-files", this::writePitFiles),
                    new NamedStep("commit-manifest", this::commitManifest),
                    new NamedStep("register-partitions", this::registerPartitions),
                    new NamedStep("rebuild-latest", this::rebuildLatest),
                    new NamedStep("publish-event", this::publishEvent),
                    new NamedStep("expire-old-versions", this::expireOldVersions),
                    new NamedStep("release", this::release));
            case BOOTSTRAP -> List.of(new NamedStep("bootstrap", this::bootstrap));
        };
    }

    /** Runs every step of the context's command in order, then {@link #finish}. */
    public RunSummary execute(RunContext ctx) {
        try {
            for (NamedStep step : steps(ctx.command)) {
                runStep(ctx, step);
            }
        } catch (Throwable t) {
            // Already recorded in the context by runStep; finish decides what to do with it.
        }
        return finish(ctx);
    }

    /** Runs one step, timing it and recording a failure in the context. */
    public void runStep(RunContext ctx, NamedStep step) {
        long start = System.nanoTime();
        try {
            step.action().accept(ctx);
        } catch (Throwable t) {
            ctx.failure = t;
            throw t;
        } finally {
            ctx.stepMillis.merge(step.name(), (System.nanoTime() - start) / 1_000_000, Long::sum);
        }
    }

    /**
     * Ends an execution. An {@link Error} is a crash: it is rethrown with no cleanup and the lease kept, as
     * if the process had died. Any other failure rolls back this run's uncommitted files, releases the
     * lease and returns a FAILED summary.
     */
    public RunSummary finish(RunContext ctx) {
        Throwable failure = ctx.failure;
        if (failure instanceof Error crash) {
            throw crash;
        }
        if (failure != null) {
            log.error("{} {} failed", ctx.command.label(), ctx.runId, failure);
            try {
                if (ctx.active() && ctx.manifest != null && ctx.manifest.state() == ManifestState.PENDING) {
                    rollBack(ctx, new StoredManifest(StorageLayout.manifestKey(ctx.runId), ctx.manifest, ctx.manifestEtag));
                }
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
            try {
                release(ctx);
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        RunSummary summary = summarize(ctx);
        log.info(summary.line());
        return summary;
    }

    // ------------------------------------------------------------------ steps

    /** Takes the run lease; if another run holds it, every later step does nothing. */
    public void lease(RunContext ctx) {
        Optional<Lease> lease = runLease.tryAcquire(ctx.runId.value(), properties.leaseTtl());
        if (lease.isEmpty()) {
            ctx.leaseHeldByOther = true;
            log.info("{} {}: another run holds the lease; nothing to do", ctx.command.label(), ctx.runId);
            return;
        }
        ctx.lease = lease.get();
        log.info("{} {}: lease taken, fencing token {}", ctx.command.label(), ctx.runId, ctx.lease.fencingToken());
    }

    /**
     * Finishes what crashed runs left: a PENDING manifest is rolled back (its files deleted, ABORTED); a
     * COMMITTED one is carried by this run (partitions re-registered, latest rebuilt, DONE at the end).
     * Looks at today's and yesterday's manifests, newest first, and stops at the first DONE one: that run
     * already recovered everything before it.
     */
    public void recover(RunContext ctx) {
        if (!ctx.active()) {
            return;
        }
        LocalDate today = today();
        LocalDate from = ctx.fullRebuild ? today.minusDays(properties.manifestLookback().toDays()) : today.minusDays(1);
        List<String> keys = manifestKeys(from, today);
        String ownKey = StorageLayout.manifestKey(ctx.runId);
        for (int i = keys.size() - 1; i >= 0; i--) {
            String key = keys.get(i);
            if (key.equals(ownKey)) {
                continue;
            }
            Optional<StoredManifest> stored = readManifest(ctx, key);
            if (stored.isEmpty()) {
                continue;
            }
            RunManifest manifest = stored.get().manifest();
            if (manifest.state() == ManifestState.DONE && !ctx.fullRebuild) {
                if (manifest.latestVersion() != null) {
                    ctx.previousDone = manifest;
                }
                break;
            }
            if (manifest.state() == ManifestState.PENDING) {
                rollBack(ctx, stored.get());
                ctx.rolledBack.add(manifest.runId());
            } else if (manifest.state() == ManifestState.COMMITTED) {
                ctx.recoveredCommitted.add(stored.get());
                ctx.partitionsToRegister.addAll(manifest.pitPartitions());
            }
        }
        if (!ctx.rolledBack.isEmpty() || !ctx.recoveredCommitted.isEmpty()) {
            log.info("{} {}: rolled back {}, carrying committed {}", ctx.command.label(), ctx.runId, ctx.rolledBack,
                    ctx.recoveredCommitted.stream().map(m -> m.manifest().runId()).toList());
        }
    }

    /** Runs {@code tasks} on {@code threads} daemon threads and waits for all; the first failure is rethrown. */
    private static void onThreads(String name, int threads, List<Runnable> tasks) {
        if (tasks.size() == 1) {
            tasks.get(0).run();
            return;
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())), r -> {
            Thread thread = new Thread(r, "soi-" + name + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Runnable task : tasks) {
                running.add(pool.submit(task));
            }
            for (Future<?> task : running) {
                task.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + " interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Receives until the queue is empty or the budget is spent, with {@code receivers} threads. Invalid
     * messages go to the DLQ; duplicates within the run and submissions an earlier run committed are
     * set aside for deletion.
     */
    public void drain(RunContext ctx) {
        if (!ctx.active()) {
            return;
        }
        Instant deadline = clock.instant().plusSeconds(properties.maxSeconds());
        ConcurrentLinkedQueue<Drained> drained = new ConcurrentLinkedQueue<>();
        Progress progress = new Progress(ctx);
        List<Runnable> receivers = new ArrayList<>();
        for (int i = 0; i < properties.receivers(); i++) {
            receivers.add(() -> receiveUntilEmpty(ctx, deadline, drained, progress));
        }
        onThreads("drain", properties.receivers(), receivers);
        dedupe(ctx, new ArrayList<>(drained));
        log.info("{} {}: drained {} messages ({} bytes): {} to apply, {} duplicates, {} already committed, {} dead-lettered",
                ctx.command.label(), ctx.runId, ctx.received.get(), ctx.receivedBytes.get(), ctx.toApply.size(),
                ctx.duplicates, ctx.alreadyCommitted, ctx.deadLettered.get());
    }

    private void receiveUntilEmpty(RunContext ctx, Instant deadline, ConcurrentLinkedQueue<Drained> drained, Progress progress) {
        while (true) {
            long remaining = properties.maxMessages() - ctx.received.get();
            if (remaining <= 0 || ctx.receivedBytes.get() >= properties.maxBytes() || !clock.instant().isBefore(deadline)) {
                return;
            }
            List<ReceivedMessage> batch = queue.receive((int) Math.min(10, remaining), properties.visibilityTimeout(),
                    properties.receiveWait());
            if (batch.isEmpty()) {
                return;
            }
            for (ReceivedMessage message : batch) {
                ctx.received.incrementAndGet();
                ctx.receivedBytes.addAndGet(utf8Length(message.body()));
                try {
                    SubmissionMessages.Read read = messages.read(message.body());
                    // A claim-check payload (up to the API's 5 MiB body limit) is held in memory like a body, so
                    // it counts toward the drain's byte budget too, not only the pointer message.
                    ctx.receivedBytes.addAndGet(read.payloadBytes());
                    Submission submission = read.submission();
                    if (!properties.knowsUnit(submission.businessUnit())) {
                        deadLetter(ctx, message, "unknown business unit " + submission.businessUnit().code());
                    } else {
                        drained.add(new Drained(withoutBody(message), submission, messages.payloadKey(message.body()).orElse(null)));
                    }
                } catch (InvalidMessageException e) {
                    deadLetter(ctx, message, e.getMessage());
                } catch (ObjectStoreException e) {
                    // The claim-check store failed: the message reappears after the visibility timeout.
                    log.warn("{}: cannot read the payload of message {} now; it will be redelivered: {}", ctx.runId,
                            message.messageId(), e.getMessage());
                }
            }
            progress.maybeLog();
        }
    }

    /** Receipt and identity only: delete and visibility calls need no body. */
    private static ReceivedMessage withoutBody(ReceivedMessage message) {
        return new ReceivedMessage(message.messageId(), message.receiptHandle(), "", message.attributes(), message.receiveCount());
    }

    private void deadLetter(RunContext ctx, ReceivedMessage message, String reason) {
        log.warn("{}: message {} to the dead-letter queue: {}", ctx.runId, message.messageId(), reason);
        queue.deadLetter(message, reason);
        ctx.deadLettered.incrementAndGet();
    }

    private void dedupe(RunContext ctx, List<Drained> drained) {
        Map<String, Drained> unique = new HashMap<>();
        Instant oldest = null;
        for (Drained d : drained) {
            if (unique.putIfAbsent(d.submission().id().toString(), d) != null) {
                ctx.toDelete.add(d);
                ctx.duplicates++;
            } else if (oldest == null || d.submission().acceptedAt().isBefore(oldest)) {
                oldest = d.submission().acceptedAt();
            }
        }
        Set<String> committed = oldest == null ? Set.of() : committedSubmissionIds(ctx, oldest);
        for (Drained d : unique.values()) {
            if (committed.contains(d.submission().id().toString())) {
                ctx.toDelete.add(d);
                ctx.alreadyCommitted++;
            } else {
                ctx.toApply.add(d);
            }
        }
        ctx.toApply.sort(Comparator.comparing((Drained d) -> d.submission().businessUnit())
                .thenComparing(d -> d.submission().requestDate())
                .thenComparing(d -> d.submission().id()));
    }

    /**
     * Ids of submissions committed by runs that started at or after {@code oldestAcceptedAt}: no earlier run
     * can have seen them. Bounded by the manifest lookback (SQS keeps messages at most 14 days).
     */
    private Set<String> committedSubmissionIds(RunContext ctx, Instant oldestAcceptedAt) {
        LocalDate today = today();
        LocalDate lookback = today.minusDays(properties.manifestLookback().toDays());
        LocalDate from = oldestAcceptedAt.atOffset(ZoneOffset.UTC).toLocalDate();
        if (from.isBefore(lookback)) {
            from = lookback;
        }
        // Run ids carry whole seconds; a run that started in the same second may hold the submission.
        String notBefore = RunId.generate(oldestAcceptedAt.minusSeconds(1), () -> 0L).value().substring(0, 16);
        Set<String> ids = new HashSet<>();
        String ownKey = StorageLayout.manifestKey(ctx.runId);
        for (String key : manifestKeys(from, today)) {
            String runStamp = key.substring(StorageLayout.RUNS_PREFIX.length(), StorageLayout.RUNS_PREFIX.length() + 16);
            if (key.equals(ownKey) || runStamp.compareTo(notBefore) < 0) {
                continue;
            }
            readManifest(ctx, key).map(StoredManifest::manifest).filter(m -> m.state().isCommitted())
                    .ifPresent(m -> m.submissions().forEach(s -> ids.add(s.submissionId())));
        }
        return ids;
    }

    /**
     * Writes the PENDING manifest, then one Parquet file per partition (rolling past the target size),
     * rows sorted by (package_name, reference_id). Each upload becomes visible only when complete.
     */
    public void writePitFiles(RunContext ctx) {
        if (!ctx.active() || !ctx.changesTables()) {
            return;
        }
        ctx.lease = runLease.renew(ctx.lease, properties.leaseTtl());
        TreeSet<PitPartition> partitions = new TreeSet<>();
        List<RunManifest.SubmissionEntry> entries = new ArrayList<>(ctx.toApply.size());
        for (Drained d : ctx.toApply) {
            Submission s = d.submission();
            partitions.add(new PitPartition(s.businessUnit(), s.requestDate()));
            entries.add(new RunManifest.SubmissionEntry(s.id().toString(), s.businessUnit().code(), s.acceptedAt(), s.rowCount()));
        }
        ctx.partitionsToRegister.addAll(partitions);
        RunManifest pending = new RunManifest(ctx.runId.value(), ManifestState.PENDING, ctx.lease.fencingToken(), ctx.startedAt,
                null, entries, partitions.stream().map(RunManifest.PartitionEntry::of).toList(), List.of(), null,
                ctx.recoveredCommitted.stream().map(m -> m.manifest().runId()).toList(), null);
        String key = StorageLayout.manifestKey(ctx.runId);
        if (store.putIfAbsent(key, codec.write(pending)) != WriteOutcome.WRITTEN) {
            throw new IllegalStateException("run manifest " + key + " already exists; run ids must be unique");
        }
        ctx.manifest = pending;
        ctx.manifestEtag = etagOf(key);
        faults.at(FaultPoint.AFTER_MANIFEST_PENDING);

        Progress progress = new Progress(ctx);
        int from = 0;
        while (from < ctx.toApply.size()) {
            Submission first = ctx.toApply.get(from).submission();
            PitPartition partition = new PitPartition(first.businessUnit(), first.requestDate());
            int to = from;
            while (to < ctx.toApply.size() && sameSubmissionPartition(ctx.toApply.get(to).submission(), partition)) {
                to++;
            }
            writePartition(ctx, partition, ctx.toApply.subList(from, to), progress);
            from = to;
        }
        log.info("{} {}: wrote {} rows in {} files ({} bytes)", ctx.command.label(), ctx.runId, ctx.rowsWritten.get(),
                ctx.filesWritten.get(), ctx.bytesWritten.get());
    }

    private static boolean sameSubmissionPartition(Submission s, PitPartition partition) {
        return s.businessUnit().equals(partition.businessUnit()) && s.requestDate().equals(partition.requestDate());
    }

    /** One package change of one submission, with the per-row strings prepared once. */
    private record ChangeRef(String packageName, String submissionId, String submittedBy, long eventMillis,
                             PackageChange change) {}

    private void writePartition(RunContext ctx, PitPartition partition, List<Drained> submissions, Progress progress) {
        // Sort the changes (one object per package version), not the rows: a backlog of millions of rows
        // then costs one small object per change plus the ids already held by the submissions.
        List<ChangeRef> changes = new ArrayList<>();
        for (Drained d : submissions) {
            Submission s = d.submission();
            String id = s.id().toString();
            for (PackageChange change : s.changes()) {
                changes.add(new ChangeRef(change.packageName().value(), id, s.submittedBy(), s.acceptedAt().toEpochMilli(), change));
            }
        }
        changes.sort(Comparator.comparing(ChangeRef::packageName).thenComparing(ChangeRef::submissionId));
        PartitionFiles files = new PartitionFiles(ctx, partition, progress);
        try {
            int from = 0;
            while (from < changes.size()) {
                int to = from + 1;
                while (to < changes.size() && changes.get(to).packageName().equals(changes.get(from).packageName())) {
                    to++;
                }
                writePackage(changes.subList(from, to), files);
                from = to;
            }
            files.commitCurrent();
        } finally {
            files.closeCurrent();
        }
    }

    /** Rows of all versions of one package, merged by reference id (tombstones first). */
    private static void writePackage(List<ChangeRef> versions, PartitionFiles files) {
        if (versions.size() == 1) {
            ChangeRef only = versions.get(0);
            if (only.change().isDeletion()) {
                files.write(null, only);
            } else {
                for (Long id : only.change().referenceIds()) {
                    files.write(id, only);
                }
            }
            return;
        }
        record Cursor(ChangeRef ref, int index) {
            long key() {
                return ref.change().isDeletion() ? Long.MIN_VALUE : ref.change().referenceIds().get(index);
            }
        }
        PriorityQueue<Cursor> heap = new PriorityQueue<>(Comparator.comparingLong(Cursor::key)
                .thenComparing(c -> c.ref().submissionId()));
        for (ChangeRef version : versions) {
            heap.add(new Cursor(version, 0));
        }
        while (!heap.isEmpty()) {
            Cursor cursor = heap.poll();
            ChangeRef ref = cursor.ref();
            if (ref.change().isDeletion()) {
                files.write(null, ref);
                continue;
            }
            files.write(ref.change().referenceIds().get(cursor.index()), ref);
            if (cursor.index() + 1 < ref.change().referenceIds().size()) {
                heap.add(new Cursor(ref, cursor.index() + 1));
            }
        }
    }

    /** The files of one partition: writes rows, rolls to the next number past the target size. */
    private final class PartitionFiles {
        private final RunContext ctx;
        private final PitPartition partition;
        private final Progress progress;
        private final String runId;
        private PitParquetWriter writer;
        private String key;
        private int number;
        private long sinceCheck;

        PartitionFiles(RunContext ctx, PitPartition partition, Progress progress) {
            this.ctx = ctx;
            this.partition = partition;
            this.progress = progress;
            this.runId = ctx.runId.value();
        }

        void write(Long referenceId, ChangeRef ref) {
            if (writer == null) {
                key = StorageLayout.pitFileKey(partition, ctx.runId, number);
                writer = PitParquetWriter.open(store.startUpload(key), key,
                        Math.min(PitParquetWriter.DEFAULT_ROW_GROUP_BYTES, properties.targetFileBytes()));
            }
            writer.write(referenceId, ref.packageName(), ref.eventMillis(), ref.submissionId(), ref.submittedBy(), runId);
            ctx.rowsWritten.incrementAndGet();
            if (++sinceCheck >= ROWS_BETWEEN_SIZE_CHECKS) {
                sinceCheck = 0;
                progress.maybeLog();
                // Flushed bytes are the true compressed size; a file overshoots the target by at most one row group.
                if (writer.flushedBytes() >= properties.targetFileBytes()) {
                    commitCurrent();
                    number++;
                }
            }
        }

        void commitCurrent() {
            if (writer == null) {
                return;
            }
            // A run whose lease was taken over must not add files behind the new holder's back.
            runLease.checkHeld(ctx.lease);
            PitParquetWriter.Result result = writer.commit();
            writer.close();
            writer = null;
            ctx.files.add(new RunManifest.FileEntry(result.key(), partition.businessUnit().code(), partition.requestDate(),
                    result.rows(), result.bytes()));
            ctx.filesWritten.incrementAndGet();
            ctx.bytesWritten.addAndGet(result.bytes());
            faults.at(FaultPoint.AFTER_UPLOAD);
        }

        void closeCurrent() {
            if (writer != null) {
                writer.close();
                writer = null;
            }
        }
    }

    /** Commits the run: the manifest turns COMMITTED with its file list, conditional on the PENDING etag. */
    public void commitManifest(RunContext ctx) {
        if (!ctx.active() || ctx.manifest == null) {
            return;
        }
        runLease.checkHeld(ctx.lease);
        String key = StorageLayout.manifestKey(ctx.runId);
        RunManifest committed = ctx.manifest.withFiles(ctx.files).withState(ManifestState.COMMITTED, null);
        if (store.putIfMatch(key, codec.write(committed), ctx.manifestEtag) != WriteOutcome.WRITTEN) {
            // Another run rolled this one back after our lease expired; our files are not part of the table.
            throw new LeaseLostException("run manifest " + key + " changed under run " + ctx.runId + "; it was rolled back");
        }
        ctx.manifest = committed;
        ctx.manifestEtag = etagOf(key);
        log.info("{} {}: committed {} submissions in {} files", ctx.command.label(), ctx.runId,
                committed.submissions().size(), committed.files().size());
        faults.at(FaultPoint.AFTER_MANIFEST_COMMIT);
    }

    /**
     * Deletes the messages of committed submissions (and duplicates), then their claim-check payloads.
     * Runs only after the commit: a crash before it means redelivery, which the dedupe absorbs.
     */
    public void deleteMessages(RunContext ctx) {
        if (!ctx.active()) {
            return;
        }
        List<Drained> done = new ArrayList<>(ctx.toApply.size() + ctx.toDelete.size());
        done.addAll(ctx.toApply);
        done.addAll(ctx.toDelete);
        if (done.isEmpty()) {
            return;
        }
        faults.at(FaultPoint.BEFORE_DELETE);
        // Batches of 10 on as many threads as the drain used: one at a time, the round trips dominated the
        // step. A batch that fails fails the step; the others are gone, and redelivery of the rest is absorbed
        // by the dedupe against the committed manifest.
        List<Runnable> batches = new ArrayList<>();
        for (int from = 0; from < done.size(); from += DELETE_BATCH) {
            List<ReceivedMessage> batch = done.subList(from, Math.min(done.size(), from + DELETE_BATCH)).stream()
                    .map(Drained::message).toList();
            batches.add(() -> queue.delete(batch));
        }
        onThreads("delete", properties.receivers(), batches);
        Set<String> payloads = new TreeSet<>();
        for (Drained d : done) {
            if (d.payloadKey() != null) {
                payloads.add(d.payloadKey());
            }
        }
        if (!payloads.isEmpty()) {
            store.delete(payloads);
        }
    }

    /** ADD IF NOT EXISTS PARTITION for the partitions this run wrote and those of recovered commits. */
    public void registerPartitions(RunContext ctx) {
        if (!ctx.active()) {
            return;
        }
        if (ctx.fullRebuild) {
            ctx.partitionsToRegister.addAll(partitionsInStore());
        }
        if (ctx.partitionsToRegister.isEmpty()) {
            return;
        }
        List<PitPartition> partitions = List.copyOf(ctx.partitionsToRegister);
        statements.addPartitions(partitions).forEach(engine::execute);
        ctx.partitionsRegistered = partitions.size();
    }

    private Set<PitPartition> partitionsInStore() {
        Set<PitPartition> partitions = new TreeSet<>();
        for (ObjectSummary object : store.list(StorageLayout.PIT_PREFIX)) {
            String[] parts = object.key().substring(StorageLayout.PIT_PREFIX.length()).split("/");
            if (parts.length == 3 && parts[0].startsWith("business_unit=") && parts[1].startsWith("request_date=")
                    && parts[2].endsWith(".parquet")) {
                partitions.add(new PitPartition(BusinessUnit.of(parts[0].substring("business_unit=".length())),
                        LocalDate.parse(parts[1].substring("request_date=".length()))));
            }
        }
        return partitions;
    }

    /**
     * The CTAS for this rebuild. A scheduled run whose predecessor finished a rebuild reads only what is new:
     * the previous version plus the partitions this run and the runs it recovered wrote
     * ({@code common/latest_incremental}), so its cost does not grow with the history. Otherwise (the first
     * rebuild, {@code rebuild-latest}, or no finished run within the recovery window) it reads all of PIT.
     */
    private dev.soi.core.sql.Statement latestStatement(RunContext ctx, String staging, String prefix) {
        if (ctx.command == RunContext.Command.RUN && !ctx.fullRebuild && ctx.previousDone != null) {
            List<PitPartition> partitions = new ArrayList<>(ctx.manifest.pitPartitions());
            RunId since = ctx.runId;
            for (StoredManifest recovered : ctx.recoveredCommitted) {
                partitions.addAll(recovered.manifest().pitPartitions());
                RunId recoveredId = new RunId(recovered.manifest().runId());
                since = recoveredId.compareTo(since) < 0 ? recoveredId : since;
            }
            Optional<LocalDate> windowStart = partitions.stream().map(PitPartition::requestDate).min(LocalDate::compareTo);
            if (windowStart.isPresent()) {
                ctx.incremental = true;
                return statements.createLatestIncremental(staging, prefix, windowStart.get(), since);
            }
        }
        return statements.createLatestFromPit(staging, prefix);
    }

    /**
     * CTAS of the latest table into {@code version={runId}/}, verified, then swapped in after a
     * fencing check. Skipped when nothing changed, so a quiet run issues no statement.
     */
    public void rebuildLatest(RunContext ctx) {
        if (!ctx.active() || ctx.manifest == null) {
            return;
        }
        ctx.lease = runLease.renew(ctx.lease, properties.leaseTtl());
        String staging = stagingTable(ctx.runId.value());
        String version = ctx.runId.value();
        String prefix = StorageLayout.latestVersionPrefix(version);
        engine.execute(latestStatement(ctx, staging, prefix));
        faults.at(FaultPoint.DURING_CTAS);
        long pitRows = number(engine.query(statements.countPit()), "row_count");
        QueryResult verification = engine.query(statements.verifyStaging(staging));
        long latestRows = number(verification, "row_count");
        long duplicateRows = number(verification, "duplicate_rows");
        // An empty version is wrong unless every package's newest version is a tombstone; ask only then.
        boolean wronglyEmpty = pitRows > 0 && latestRows == 0 && number(engine.query(statements.countExpectedLatest()), "row_count") > 0;
        if (wronglyEmpty || duplicateRows != 0) {
            engine.execute(statements.dropStaging(staging));
            deleteAll(prefix);
            throw new IllegalStateException("latest version " + version + " failed verification: " + latestRows
                    + " rows from " + pitRows + " PIT rows, " + duplicateRows + " duplicate keys; the table was not swapped");
        }
        faults.at(FaultPoint.BETWEEN_CTAS_AND_SWAP);
        runLease.checkHeld(ctx.lease);
        String key = StorageLayout.manifestKey(ctx.runId);
        RunManifest withVersion = ctx.manifest.withLatestVersion(version);
        if (store.putIfMatch(key, codec.write(withVersion), ctx.manifestEtag) != WriteOutcome.WRITTEN) {
            throw new LeaseLostException("run manifest " + key + " changed under run " + ctx.runId);
        }
        ctx.manifest = withVersion;
        ctx.manifestEtag = etagOf(key);
        engine.execute(statements.swapLatest(prefix));
        ctx.latestVersion = version;
        engine.execute(statements.dropStaging(staging));
        for (StoredManifest recovered : ctx.recoveredCommitted) {
            // A run that crashed during its rebuild may have left its staging table in the catalog.
            engine.execute(statements.dropStaging(stagingTable(recovered.manifest().runId())));
        }
        log.info("{} {}: latest table now at {} ({} rows, {} rebuild)", ctx.command.label(), ctx.runId, prefix, latestRows,
                ctx.incremental ? "incremental" : "full");
        Instant now = clock.instant();
        for (StoredManifest recovered : ctx.recoveredCommitted) {
            writeState(recovered, recovered.manifest().withState(ManifestState.DONE, now));
        }
        RunManifest done = ctx.manifest.withState(ManifestState.DONE, now).withTimings(ctx.stepMillis);
        if (store.putIfMatch(key, codec.write(done), ctx.manifestEtag) != WriteOutcome.WRITTEN) {
            throw new LeaseLostException("run manifest " + key + " changed under run " + ctx.runId);
        }
        ctx.manifest = done;
        ctx.manifestEtag = etagOf(key);
    }

    /** Publishes the run summary event. A bus failure is logged, not fatal: the data is already committed. */
    public void publishEvent(RunContext ctx) {
        if (!ctx.active()) {
            return;
        }
        ObjectNode detail = json.createObjectNode();
        detail.put("run_id", ctx.runId.value());
        detail.put("command", ctx.command.label());
        ArrayNode units = detail.putArray("units_changed");
        unitsChanged(ctx).forEach(units::add);
        detail.put("submissions", ctx.toApply.size());
        detail.put("rows_written", ctx.rowsWritten.get());
        ArrayNode files = detail.putArray("files");
        ctx.files.forEach(f -> files.add(f.key()));
        if (ctx.latestVersion != null) {
            detail.put("latest_version_location", store.location(StorageLayout.latestVersionPrefix(ctx.latestVersion)));
        } else {
            detail.putNull("latest_version_location");
        }
        detail.put("duration_ms", (System.nanoTime() - ctx.startedNanos) / 1_000_000);
        detail.put("dead_lettered", ctx.deadLettered.get());
        try {
            events.publish(new DomainEvent(EVENT_SOURCE, EVENT_DETAIL_TYPE, json.writeValueAsString(detail)));
        } catch (EventPublishException e) {
            log.warn("{} {}: run event not published: {}", ctx.command.label(), ctx.runId, e.getMessage());
        }
    }

    /**
     * Deletes latest-table versions older than the newest {@code latestKeepVersions}, once their run
     * finished more than the grace period ago. Only after a swap by this run, when the current version is
     * known for certain.
     */
    public void expireOldVersions(RunContext ctx) {
        if (!ctx.active() || ctx.latestVersion == null) {
            return;
        }
        TreeMap<String, List<ObjectSummary>> versions = new TreeMap<>(Comparator.reverseOrder());
        for (ObjectSummary object : store.list(StorageLayout.LATEST_PREFIX + "version=")) {
            String rest = object.key().substring((StorageLayout.LATEST_PREFIX + "version=").length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                versions.computeIfAbsent(rest.substring(0, slash), v -> new ArrayList<>()).add(object);
            }
        }
        Instant now = clock.instant();
        int kept = 0;
        for (Map.Entry<String, List<ObjectSummary>> version : versions.entrySet()) {
            String name = version.getKey();
            if (name.equals(ctx.latestVersion) || name.equals(StorageLayout.LATEST_EMPTY_VERSION)) {
                continue;
            }
            if (kept < properties.latestKeepVersions()) {
                kept++;
                continue;
            }
            if (finishedAt(name, version.getValue()).plus(properties.latestGracePeriod()).isAfter(now)) {
                continue;
            }
            store.delete(version.getValue().stream().map(ObjectSummary::key).toList());
            ctx.versionsExpired++;
            log.info("{} {}: expired latest version {}", ctx.command.label(), ctx.runId, name);
        }
    }

    private Instant finishedAt(String version, List<ObjectSummary> objects) {
        Instant lastWrite = objects.stream().map(ObjectSummary::lastModified).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        RunId runId;
        try {
            runId = new RunId(version);
        } catch (IllegalArgumentException e) {
            return lastWrite;
        }
        String key = StorageLayout.manifestKey(runId);
        return store.get(key).map(o -> codec.read(key, o.content()).finishedAt()).orElse(lastWrite);
    }

    /** Gives the lease up. Idempotent. */
    public void release(RunContext ctx) {
        if (ctx.lease == null || ctx.released || ctx.leaseHeldByOther) {
            return;
        }
        runLease.release(ctx.lease);
        ctx.released = true;
    }

    /** Creates the database, the PIT table and the latest table (at the empty initial version) if missing. */
    public void bootstrap(RunContext ctx) {
        engine.execute(statements.createDatabase());
        engine.execute(statements.createPitTable());
        engine.execute(statements.createLatestTable(StorageLayout.latestVersionPrefix(StorageLayout.LATEST_EMPTY_VERSION)));
        log.info("bootstrap: database {} and tables ready", statements.database());
    }

    // ------------------------------------------------------------------ helpers

    /** Deletes a PENDING run's files and staging leftovers and marks it ABORTED. */
    private void rollBack(RunContext ctx, StoredManifest stored) {
        RunManifest manifest = stored.manifest();
        List<String> keys = new ArrayList<>();
        for (PitPartition partition : manifest.pitPartitions()) {
            store.list(StorageLayout.partitionPrefix(partition) + manifest.runId() + "-").forEach(o -> keys.add(o.key()));
        }
        if (!keys.isEmpty()) {
            store.delete(keys);
        }
        engine.execute(statements.dropStaging(stagingTable(manifest.runId())));
        // A PENDING run never swapped, so its version folder is never the current latest.
        deleteAll(StorageLayout.latestVersionPrefix(manifest.runId()));
        writeState(stored, manifest.withState(ManifestState.ABORTED, clock.instant()));
        log.info("{} {}: rolled back run {} ({} files deleted)", ctx.command.label(), ctx.runId, manifest.runId(), keys.size());
    }

    private void writeState(StoredManifest stored, RunManifest updated) {
        if (store.putIfMatch(stored.key(), codec.write(updated), stored.etag()) != WriteOutcome.WRITTEN) {
            throw new LeaseLostException("run manifest " + stored.key() + " changed while this run held the lease");
        }
    }

    private void deleteAll(String prefix) {
        List<String> keys = store.list(prefix).stream().map(ObjectSummary::key).toList();
        if (!keys.isEmpty()) {
            store.delete(keys);
        }
    }

    private Optional<StoredManifest> readManifest(RunContext ctx, String key) {
        StoredManifest cached = ctx.manifestCache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<StoredObject> object = store.get(key);
        if (object.isEmpty()) {
            return Optional.empty();
        }
        StoredManifest stored = new StoredManifest(key, codec.read(key, object.get().content()), object.get().etag());
        ctx.manifestCache.put(key, stored);
        return Optional.of(stored);
    }

    /** Manifest keys of runs started on the days {@code from..to}, in run id (start time) order. */
    private List<String> manifestKeys(LocalDate from, LocalDate to) {
        List<String> keys = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            for (ObjectSummary object : store.list(StorageLayout.RUNS_PREFIX + DAY.format(day))) {
                if (object.key().endsWith(".json")) {
                    keys.add(object.key());
                }
            }
        }
        return keys;
    }

    private String etagOf(String key) {
        return store.get(key).map(StoredObject::etag)
                .orElseThrow(() -> new ObjectStoreException("run manifest " + key + " vanished right after it was written"));
    }

    private LocalDate today() {
        return clock.instant().atOffset(ZoneOffset.UTC).toLocalDate();
    }

    public static String stagingTable(String runId) {
        return STAGING_TABLE_PREFIX + new RunId(runId).asIdentifier();
    }

    private static long number(QueryResult result, String column) {
        if (result.rows().isEmpty()) {
            return 0;
        }
        Object value = result.value(0, column);
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static List<String> unitsChanged(RunContext ctx) {
        Set<String> units = new TreeSet<>();
        ctx.toApply.forEach(d -> units.add(d.submission().businessUnit().code()));
        ctx.recoveredCommitted.forEach(m -> m.manifest().partitions().forEach(p -> units.add(p.businessUnit())));
        return List.copyOf(units);
    }

    private static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private RunSummary summarize(RunContext ctx) {
        RunSummary.Outcome outcome = ctx.failure != null ? RunSummary.Outcome.FAILED
                : ctx.leaseHeldByOther ? RunSummary.Outcome.LEASE_HELD : RunSummary.Outcome.COMPLETED;
        return new RunSummary(ctx.runId.value(), ctx.command.label(), outcome, ctx.received.get(), ctx.toApply.size(),
                ctx.duplicates, ctx.alreadyCommitted, ctx.deadLettered.get(), ctx.rowsWritten.get(), ctx.filesWritten.get(),
                ctx.bytesWritten.get(), unitsChanged(ctx), ctx.partitionsRegistered, ctx.rolledBack,
                ctx.recoveredCommitted.stream().map(m -> m.manifest().runId()).toList(), ctx.latestVersion,
                ctx.versionsExpired, new LinkedHashMap<>(ctx.stepMillis), (System.nanoTime() - ctx.startedNanos) / 1_000_000,
                ctx.failure == null ? null : ctx.failure.toString());
    }

    /** Logs progress at most every {@code progressInterval}; safe to call from several threads. */
    private final class Progress {
        private final RunContext ctx;
        private final AtomicLong lastLog = new AtomicLong(System.nanoTime());

        Progress(RunContext ctx) {
            this.ctx = ctx;
        }

        void maybeLog() {
            long now = System.nanoTime();
            long last = lastLog.get();
            if (now - last >= properties.progressInterval().toNanos() && lastLog.compareAndSet(last, now)) {
                log.info("{} {}: progress: {} messages drained ({} bytes), {} dead-lettered, {} rows, {} files",
                        ctx.command.label(), ctx.runId, ctx.received.get(), ctx.receivedBytes.get(), ctx.deadLettered.get(),
                        ctx.rowsWritten.get(), ctx.filesWritten.get());
            }
        }
    }
}
