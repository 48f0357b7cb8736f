package dev.soi.batch.ops;

import dev.soi.batch.run.BatchPorts;
import dev.soi.core.domain.StorageLayout;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The records {@code status} shows as the last run of each outcome: {@code _journal/last-{outcome}.json}. */
public final class LastRuns {
    static final List<String> OUTCOMES = List.of("completed", "failed", "lease_held");
    static final JsonMapper JSON = JsonMapper.builder().build();

    private LastRuns() {}

    /** Leaves the record {@code status} shows as the last run of this summary's outcome. */
    public static void record(BatchPorts ports, RunSummary summary, Instant finishedAt) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("run_id", summary.runId());
        record.put("command", summary.command());
        record.put("finished_at", finishedAt.toString());
        record.put("summary", summary.sentence());
        ports.store().put(StorageLayout.lastRunKey(summary.outcome().name().toLowerCase(Locale.ROOT)), JSON.writeValueAsBytes(record));
    }
}
