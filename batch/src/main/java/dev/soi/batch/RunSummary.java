package dev.soi.batch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one command did. {@code stepMillis} holds the duration of each step that ran, in order.
 *
 * @param outcome        COMPLETED, LEASE_HELD (another run holds the lease; nothing was done) or FAILED
 * @param latestVersion  the latest-table version this run swapped in, or null if it did not rebuild
 */
public record RunSummary(String runId, String command, Outcome outcome, long messagesReceived, long submissionsApplied,
                         long duplicatesDeleted, long alreadyCommitted, long deadLettered, long rowsWritten,
                         long filesWritten, long bytesWritten, List<String> unitsChanged, long partitionsRegistered,
                         List<String> rolledBack, List<String> recoveredCommitted, String latestVersion,
                         long versionsExpired, Map<String, Long> stepMillis, long durationMillis, String failure,
                         Compaction compaction) {

    /** What compaction did in this execution: partitions compacted and failed (undone), files and bytes before and after. */
    public record Compaction(long partitions, long failed, long filesBefore, long filesAfter, long bytesBefore, long bytesAfter,
                             long oldFoldersDeleted) {
        public static final Compaction NONE = new Compaction(0, 0, 0, 0, 0, 0, 0);

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("partitions_compacted", partitions);
            map.put("partitions_failed", failed);
            map.put("files_before", filesBefore);
            map.put("files_after", filesAfter);
            map.put("bytes_before", bytesBefore);
            map.put("bytes_after", bytesAfter);
            map.put("old_folders_deleted", oldFoldersDeleted);
            return map;
        }
    }

    public enum Outcome { COMPLETED, LEASE_HELD, FAILED }

    public RunSummary {
        unitsChanged = List.copyOf(unitsChanged);
        rolledBack = List.copyOf(rolledBack);
        recoveredCommitted = List.copyOf(recoveredCommitted);
        stepMillis = Collections.unmodifiableMap(new LinkedHashMap<>(stepMillis));
        compaction = compaction == null ? Compaction.NONE : compaction;
    }

    /** The one-line summary logged at the end of a run. */
    public String line() {
        StringBuilder out = new StringBuilder()
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
                .append(" compacted=").append(compaction.partitions())
                .append(" compaction_files=").append(compaction.filesBefore()).append("->").append(compaction.filesAfter())
                .append(" compaction_bytes=").append(compaction.bytesBefore()).append("->").append(compaction.bytesAfter())
                .append(" duration_ms=").append(durationMillis)
                .append(" steps=").append(stepMillis);
        if (failure != null) {
            out.append(" failure=").append(failure);
        }
        return out.toString();
    }

    /** The summary as a plain map (for the Lambda handler's response). */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
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
        map.put("partitions_registered", partitionsRegistered);
        map.put("rolled_back", rolledBack);
        map.put("recovered_committed", recoveredCommitted);
        map.put("latest_version", latestVersion);
        map.put("versions_expired", versionsExpired);
        map.put("step_millis", stepMillis);
        map.put("duration_ms", durationMillis);
        map.put("failure", failure);
        map.put("compaction", compaction.toMap());
        return map;
    }
}
