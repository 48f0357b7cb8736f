package dev.soi.batch.ops;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one command did. {@code stepMillis} holds the duration of each step that ran, in order.
 *
 * @param sentence       what happened and what to do next, in one or two plain sentences, for people
 * @param outcome        COMPLETED, LEASE_HELD (another run holds the lease; nothing was done) or FAILED
 * @param latestVersion  the latest-table version this run swapped in, or null if it did not rebuild
 * @param unitsOutsideRegistry units of applied submissions that are no longer in the registry
 * @param deadLetters    {@code dlq-list}: the dead letters seen; {@code dlq-redrive}: those sent back; else empty
 * @param notFound       {@code dlq-redrive}: submission ids asked for that are not in the dead-letter queue
 * @param readModel      what the read model publication wrote, and the dead-letter reasons recorded
 * @param outOfOrder     submissions applied although stamped older than the version already applied for their package
 */
public record RunSummary(String sentence, String runId, String command, Outcome outcome, long messagesReceived,
                         long submissionsApplied, long duplicatesDeleted, long alreadyCommitted, long deadLettered,
                         long rowsWritten, long filesWritten, long bytesWritten, List<String> unitsChanged,
                         List<String> unitsOutsideRegistry, long partitionsRegistered, List<String> rolledBack,
                         List<String> recoveredCommitted, String latestVersion, long versionsExpired,
                         Map<String, Long> stepMillis, long durationMillis, String failure,
                         List<DeadLetter> deadLetters, List<String> notFound, Compaction compaction, ReadModel readModel,
                         long outOfOrder) {

    /**
     * What the read model publication wrote: how ({@code none}, {@code changes} or {@code full}), packages written and
     * deleted, statuses and listing pages written; and the dead-letter reasons recorded for messages SQS moved itself.
     */
    public record ReadModel(String publication, long packagesWritten, long packagesDeleted, long statusesWritten, long pagesWritten,
                            long deadLettersRecorded) {
        public static final ReadModel NONE = new ReadModel("none", 0, 0, 0, 0, 0);

        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("publication", publication);
            map.put("packages_written", packagesWritten);
            map.put("packages_deleted", packagesDeleted);
            map.put("statuses_written", statusesWritten);
            map.put("pages_written", pagesWritten);
            map.put("dead_letters_recorded", deadLettersRecorded);
            return map;
        }
    }

    /**
     * What compaction did in this execution: partitions compacted and failed (undone), files and bytes before and after,
     * old folders deleted; partitions set aside after it (failed twice; the scheduled runs leave them to {@code compact}),
     * due partitions it left for a later run, and whether it stopped at the invocation's deadline.
     */
    public record Compaction(long partitions, long failed, long filesBefore, long filesAfter, long bytesBefore, long bytesAfter,
                             long oldFoldersDeleted, long setAside, long left, boolean stoppedAtDeadline) {
        public static final Compaction NONE = new Compaction(0, 0, 0, 0, 0, 0, 0, 0, 0, false);

        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("partitions_compacted", partitions);
            map.put("partitions_failed", failed);
            map.put("files_before", filesBefore);
            map.put("files_after", filesAfter);
            map.put("bytes_before", bytesBefore);
            map.put("bytes_after", bytesAfter);
            map.put("old_folders_deleted", oldFoldersDeleted);
            map.put("partitions_set_aside", setAside);
            map.put("partitions_left", left);
            map.put("stopped_at_deadline", stoppedAtDeadline);
            return map;
        }
    }

    public enum Outcome { COMPLETED, LEASE_HELD, FAILED }

    public RunSummary {
        unitsChanged = List.copyOf(unitsChanged);
        unitsOutsideRegistry = List.copyOf(unitsOutsideRegistry);
        deadLetters = List.copyOf(deadLetters);
        notFound = List.copyOf(notFound);
        rolledBack = List.copyOf(rolledBack);
        recoveredCommitted = List.copyOf(recoveredCommitted);
        stepMillis = Collections.unmodifiableMap(new LinkedHashMap<>(stepMillis));
        compaction = compaction == null ? Compaction.NONE : compaction;
        readModel = readModel == null ? ReadModel.NONE : readModel;
    }

    /** The summary logged at the end of a run: the sentence, then every figure on one line. */
    public String line() {
        StringBuilder out = new StringBuilder(sentence).append(" [")
                .append(command).append(' ').append(runId).append(' ').append(outcome)
                .append(": received=").append(messagesReceived)
                .append(" applied=").append(submissionsApplied)
                .append(" duplicates=").append(duplicatesDeleted)
                .append(" already_committed=").append(alreadyCommitted)
                .append(" dead_lettered=").append(deadLettered)
                .append(" rows=").append(rowsWritten)
                .append(" files=").append(filesWritten)
                .append(" bytes=").append(bytesWritten)
                .append(" partitions=").append(partitionsRegistered)
                .append(" rolled_back=").append(rolledBack.size())
                .append(" recovered=").append(recoveredCommitted.size())
                .append(" latest=").append(latestVersion == null ? "-" : latestVersion)
                .append(" expired=").append(versionsExpired)
                .append(" out_of_order=").append(outOfOrder)
                .append(" compacted=").append(compaction.partitions())
                .append(" compaction_files=").append(compaction.filesBefore()).append("->").append(compaction.filesAfter())
                .append(" compaction_bytes=").append(compaction.bytesBefore()).append("->").append(compaction.bytesAfter())
                .append(" compaction_set_aside=").append(compaction.setAside())
                .append(" compaction_left=").append(compaction.left())
                .append(" read_model=").append(readModel.publication()).append('(').append(readModel.packagesWritten())
                .append(" packages, ").append(readModel.statusesWritten()).append(" statuses, ").append(readModel.pagesWritten())
                .append(" pages)")
                .append(" dead_letters_recorded=").append(readModel.deadLettersRecorded())
                .append(" duration_ms=").append(durationMillis)
                .append(" steps=").append(stepMillis);
        if (!unitsOutsideRegistry.isEmpty()) {
            out.append(" units_outside_registry=").append(unitsOutsideRegistry);
        }
        if (failure != null) {
            out.append(" failure=").append(failure);
        }
        return out.append(']').toString();
    }

    /** The summary as a plain map (for the Lambda handler's response). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("summary", sentence);
        map.put("run_id", runId);
        map.put("command", command);
        map.put("outcome", outcome.name());
        map.put("messages_received", messagesReceived);
        map.put("submissions_applied", submissionsApplied);
        map.put("duplicates_deleted", duplicatesDeleted);
        map.put("already_committed", alreadyCommitted);
        map.put("dead_lettered", deadLettered);
        map.put("rows_written", rowsWritten);
        map.put("files_written", filesWritten);
        map.put("bytes_written", bytesWritten);
        map.put("units_changed", unitsChanged);
        map.put("units_outside_registry", unitsOutsideRegistry);
        map.put("partitions_registered", partitionsRegistered);
        map.put("rolled_back", rolledBack);
        map.put("recovered_committed", recoveredCommitted);
        map.put("latest_version", latestVersion);
        map.put("versions_expired", versionsExpired);
        map.put("out_of_order", outOfOrder);
        map.put("step_millis", stepMillis);
        map.put("duration_ms", durationMillis);
        map.put("failure", failure);
        if (command.startsWith("dlq-")) {
            map.put("dead_letters", deadLetters.stream().map(DeadLetter::toMap).toList());
            map.put("not_found", notFound);
        }
        map.put("compaction", compaction.toMap());
        map.put("read_model", readModel.toMap());
        return map;
    }
}
