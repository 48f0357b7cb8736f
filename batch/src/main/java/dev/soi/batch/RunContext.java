package dev.soi.batch;

import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.Submission;
import dev.soi.core.port.Lease;
import dev.soi.core.port.ReceivedMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state one command execution carries from step to step. Created by {@link MaterializeRun#newContext},
 * owned by one execution; only the drain step touches it from several threads, through its atomic counters.
 */
public final class RunContext {
    /**
     * A decoded message ready to apply. The message is kept without its body (the submission holds the
     * content), so a large backlog is not held twice; {@code payloadKey} is its claim check, if any.
     */
    public record Drained(ReceivedMessage message, Submission submission, String payloadKey) {}

    /** A manifest read from the store, with the etag a later conditional write must match. */
    record StoredManifest(String key, RunManifest manifest, String etag) {}

    final Command command;
    final RunId runId;
    final Instant startedAt;
    final long startedNanos = System.nanoTime();
    final boolean fullRebuild;

    Lease lease;
    boolean leaseHeldByOther;
    boolean released;
    Throwable failure;

    final AtomicLong received = new AtomicLong();
    final AtomicLong receivedBytes = new AtomicLong();
    final AtomicLong deadLettered = new AtomicLong();
    final AtomicLong rowsWritten = new AtomicLong();
    final AtomicLong filesWritten = new AtomicLong();
    final AtomicLong bytesWritten = new AtomicLong();

    /** Messages to apply, one per submission, sorted by (unit, date, submission id). */
    final List<Drained> toApply = new ArrayList<>();
    /** Messages to delete once the manifest is committed: duplicates and already committed submissions too. */
    final List<Drained> toDelete = new ArrayList<>();
    long duplicates;
    long alreadyCommitted;

    /** Manifests of earlier runs read during this run, by key. */
    final Map<String, StoredManifest> manifestCache = new HashMap<>();
    final List<String> rolledBack = new ArrayList<>();
    final List<StoredManifest> recoveredCommitted = new ArrayList<>();
    final TreeSet<PitPartition> partitionsToRegister = new TreeSet<>();
    /** The newest finished run seen by recovery, whose latest version the table now holds; null if none in the window. */
    RunManifest previousDone;
    /** Whether this run's rebuild read only the new partitions. */
    boolean incremental;

    RunManifest manifest;
    String manifestEtag;
    final List<RunManifest.FileEntry> files = new ArrayList<>();
    long partitionsRegistered;
    String latestVersion;
    long versionsExpired;
    final Map<String, Long> stepMillis = new LinkedHashMap<>();

    RunContext(Command command, RunId runId, Instant startedAt, boolean fullRebuild) {
        this.command = command;
        this.runId = runId;
        this.startedAt = startedAt;
        this.fullRebuild = fullRebuild;
    }

    public RunId runId() {
        return runId;
    }

    public Command command() {
        return command;
    }

    /** Whether this execution holds the lease and so may change anything. */
    public boolean active() {
        return lease != null && !leaseHeldByOther;
    }

    /** Whether the tables change in this run: new commits or recovered ones. */
    boolean changesTables() {
        return !toApply.isEmpty() || !recoveredCommitted.isEmpty() || command == Command.REBUILD_LATEST;
    }

    public Throwable failure() {
        return failure;
    }

    /** The three commands. */
    public enum Command {
        RUN("run"), REBUILD_LATEST("rebuild-latest"), BOOTSTRAP("bootstrap");

        private final String label;

        Command(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
