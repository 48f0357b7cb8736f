package dev.soi.core.domain;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Where everything lives in the data store, relative to its root ({@code s3://bucket/prefix/} in AWS,
 * {@code $SOI_HOME/data/} locally). The one place object keys are built.
 */
public final class StorageLayout {
    public static final String PIT_TABLE = "security_of_interest_pit";
    public static final String LATEST_TABLE = "security_of_interest_latest";
    public static final String PIT_PREFIX = PIT_TABLE + "/";
    public static final String LATEST_PREFIX = LATEST_TABLE + "/";
    public static final String RUNS_PREFIX = "_runs/";
    public static final String PAYLOADS_PREFIX = "_payloads/";
    /** One record per submission the batch moved to the dead-letter queue, for the status endpoint. */
    public static final String DEAD_LETTERS_PREFIX = "_dead_letters/";
    public static final String LEASE_KEY = "_lease";
    /** One empty marker per run that opened a manifest and has not finished (DONE or ABORTED): what recovery reads. */
    public static final String OPEN_RUNS_PREFIX = "_journal/open/";
    /** The newest run that published a latest version: {@code {"run_id", "latest_version", "finished_at"}}. */
    public static final String LAST_DONE_KEY = "_journal/last-done.json";
    /** The empty folder the latest table points at before its first build. */
    public static final String LATEST_EMPTY_VERSION = "initial";
    /** Staging tables of latest rebuilds are this prefix plus the run id as an identifier. */
    public static final String STAGING_TABLE_PREFIX = LATEST_TABLE + "_stg_";

    private static final String VERSION_FOLDER = "version=";
    private static final String UNIT_FOLDER = "business_unit=";
    private static final String DATE_FOLDER = "request_date=";
    private static final DateTimeFormatter RUN_DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    /** Run ids start with {@code yyyyMMdd't'HHmmss'z'}: 16 characters. */
    private static final int RUN_STAMP_LENGTH = 16;

    private StorageLayout() {}

    public static String partitionPrefix(PitPartition partition) {
        return PIT_PREFIX + partition.path();
    }

    /** Key of the {@code n}-th Parquet file run {@code runId} writes into {@code partition}: a retry rewrites it. */
    public static String pitFileKey(PitPartition partition, RunId runId, int n) {
        checkArgument(n >= 0, "file number must be >= 0: %d", n);
        return partitionPrefix(partition) + runId + "-" + n + ".parquet";
    }

    public static String latestVersionPrefix(String version) {
        requireNonNull(version, "version");
        checkArgument(version.matches("[a-z0-9-]+"), "latest version must be [a-z0-9-]+: %s", version);
        return LATEST_PREFIX + VERSION_FOLDER + version + "/";
    }

    /** The prefix under which every latest version folder lives. */
    public static String latestVersionsPrefix() {
        return LATEST_PREFIX + VERSION_FOLDER;
    }

    /** The version folder a key of the latest table lies in ({@code …/version=V/…} gives V), if any. */
    public static Optional<String> latestVersionOf(String key) {
        if (!key.startsWith(latestVersionsPrefix())) {
            return Optional.empty();
        }
        String rest = key.substring(latestVersionsPrefix().length());
        int slash = rest.indexOf('/');
        return slash > 0 ? Optional.of(rest.substring(0, slash)) : Optional.empty();
    }

    /** The staging table a latest rebuild of run {@code runId} writes. */
    public static String stagingTable(RunId runId) {
        return STAGING_TABLE_PREFIX + runId.asIdentifier();
    }

    public static boolean isStagingTable(String table) {
        return table.startsWith(STAGING_TABLE_PREFIX);
    }

    /**
     * The partition a PIT data file lies in ({@code security_of_interest_pit/business_unit=U/request_date=D/x.parquet}),
     * or empty for any other key.
     */
    public static Optional<PitPartition> partitionOf(String key) {
        if (!key.startsWith(PIT_PREFIX) || !key.endsWith(".parquet")) {
            return Optional.empty();
        }
        String[] parts = key.substring(PIT_PREFIX.length()).split("/");
        if (parts.length != 3 || !parts[0].startsWith(UNIT_FOLDER) || !parts[1].startsWith(DATE_FOLDER)) {
            return Optional.empty();
        }
        String unit = parts[0].substring(UNIT_FOLDER.length());
        if (!BusinessUnit.isValid(unit)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PitPartition(BusinessUnit.of(unit), LocalDate.parse(parts[1].substring(DATE_FOLDER.length()))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The prefix of a run's PIT files in one partition: {@code {partitionPrefix}{runId}-}. */
    public static String runFilesPrefix(PitPartition partition, String runId) {
        return partitionPrefix(partition) + runId + "-";
    }

    public static String manifestKey(RunId runId) {
        return RUNS_PREFIX + runId + ".json";
    }

    /** The last run that ended with {@code outcome} ({@code completed}, {@code failed}, {@code lease_held}). */
    public static String lastRunKey(String outcome) {
        checkArgument(outcome.matches("[a-z_]+"), "outcome must be [a-z_]+: %s", outcome);
        return "_journal/last-" + outcome + ".json";
    }

    /** The open-run marker of run {@code runId}. */
    public static String openRunKey(RunId runId) {
        return OPEN_RUNS_PREFIX + runId;
    }

    /** The run an open-run marker names, or empty for any other key. */
    public static Optional<RunId> runOfOpenMarker(String key) {
        return key.startsWith(OPEN_RUNS_PREFIX) ? RunId.parse(key.substring(OPEN_RUNS_PREFIX.length())) : Optional.empty();
    }

    /** The prefix shared by the manifests of runs started on {@code day} (UTC). */
    public static String manifestDayPrefix(LocalDate day) {
        return RUNS_PREFIX + RUN_DAY.format(day);
    }

    public static boolean isManifestKey(String key) {
        return key.startsWith(RUNS_PREFIX) && key.endsWith(".json");
    }

    /**
     * The start stamp ({@code 20261123t032500z}) of the run whose manifest is {@code manifestKey}; stamps sort
     * as the runs' start times.
     */
    public static String runStampOf(String manifestKey) {
        checkArgument(isManifestKey(manifestKey) && manifestKey.length() >= RUNS_PREFIX.length() + RUN_STAMP_LENGTH,
                "not a run manifest key: %s", manifestKey);
        return manifestKey.substring(RUNS_PREFIX.length(), RUNS_PREFIX.length() + RUN_STAMP_LENGTH);
    }

    /** The start stamp of a run id, comparable with {@link #runStampOf}. */
    public static String runStampOf(RunId runId) {
        return runId.value().substring(0, RUN_STAMP_LENGTH);
    }

    /** The dead-letter record of a submission: {@code {"submission_id", "reason", "dead_lettered_at"}}. */
    public static String deadLetterKey(SubmissionId submissionId) {
        return DEAD_LETTERS_PREFIX + submissionId + ".json";
    }

    public static String payloadKey(SubmissionId submissionId) {
        return PAYLOADS_PREFIX + submissionId + ".json";
    }
}
