package dev.soi.core.domain;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Where everything lives in the data store, relative to its root ({@code s3://bucket/prefix/} in AWS,
 * {@code $SOI_HOME/data/} locally). The one place object keys are built, with its companions {@link IndexLayout} (the
 * compaction records and the indexes that spare runs from listing the PIT folder and every manifest) and
 * {@link LatestLayout} (the latest table's unit folders and its full-build record).
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
    /**
     * The newest scheduled run that drained the queue to its end and completed, so the latest table then held every
     * submission accepted before the run started: {@code {"run_id", "latest_version", "current_as_of"}}. A quiet run
     * writes this and nothing else of the tables' state; it is what staleness is measured from.
     */
    public static final String LATEST_CURRENT_KEY = "_journal/latest-current.json";
    /**
     * The newest run that applied submissions stamped older than a version of their package already committed:
     * {@code {"run_id", "detected_at", "submissions", "example_submission_id"}}, for {@code status}.
     */
    public static final String OUT_OF_ORDER_KEY = "_journal/out-of-order.json";
    /** The empty folder the latest table points at before its first build. */
    public static final String LATEST_EMPTY_VERSION = "initial";
    /** Staging tables of latest rebuilds are this prefix plus the run id as an identifier. */
    public static final String STAGING_TABLE_PREFIX = LATEST_TABLE + "_stg_";
    /** One compaction record per PIT partition: {@code _compactions/business_unit=U/request_date=D.json}. */
    public static final String COMPACTIONS_PREFIX = "_compactions/";
    /** Tables over a compaction's new files, read only to verify them: this prefix plus the compacting run id. */
    public static final String COMPACTION_TABLE_PREFIX = PIT_TABLE + "_cmp_";
    /**
     * Compacted partitions live under {@code security_of_interest_pit/compacted/{runId}/business_unit=U/request_date=D/}:
     * beside the original partition folders, never inside one and never around one, so no reader of one location
     * can see the files of another (Athena reads everything under a location's prefix).
     */
    private static final String COMPACTED_FOLDER = "compacted/";

    /**
     * The read model: what the API's GETs answer, as objects the batch publishes with each latest version (one per
     * package, a unit's listing in pages, one per applied submission). See docs/commit-protocol.md, "The read model".
     */
    public static final String READ_MODEL_PREFIX = "_read_model/";
    /** The latest version the read model holds in full; absent before the first publication (readers answer 503). */
    public static final String READ_MODEL_PUBLISHED_KEY = READ_MODEL_PREFIX + "published.json";
    /** Packages per page of a unit's listing; page {@code n} holds the packages ranked from {@code n * 1000} by name. */
    public static final int READ_MODEL_INDEX_PAGE_PACKAGES = 1000;
    private static final java.util.regex.Pattern ENCODED_NAME = java.util.regex.Pattern.compile("([a-z0-9._-]|![a-z])+");

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

    /** The folder run {@code compaction} compacts {@code partition} into; the partition is pointed there by one catalog update. */
    public static String compactedPartitionPrefix(PitPartition partition, RunId compaction) {
        return PIT_PREFIX + COMPACTED_FOLDER + compaction + "/" + partition.path();
    }

    /** Key of the {@code n}-th Parquet file run {@code runId} writes into the partition folder {@code location}. */
    public static String pitFileKey(String location, RunId runId, int n) {
        checkArgument(n >= 0, "file number must be >= 0: %d", n);
        checkArgument(location.startsWith(PIT_PREFIX) && location.endsWith("/"), "not a PIT partition folder: %s", location);
        return location + runId + "-" + n + ".parquet";
    }

    /** The partition folder a PIT data file lies in (the key up to its last {@code /}), if the key is one. */
    public static Optional<String> partitionLocationOf(String key) {
        return partitionOf(key).map(p -> key.substring(0, key.lastIndexOf('/') + 1));
    }

    /**
     * Which compaction wrote the folder {@code location} of a PIT partition: empty for an original folder, else
     * the compacting run id. Run ids sort by start time, so the newest compaction's folder sorts last.
     */
    public static Optional<String> compactionOf(String location) {
        String compacted = PIT_PREFIX + COMPACTED_FOLDER;
        if (!location.startsWith(compacted)) {
            return Optional.empty();
        }
        String rest = location.substring(compacted.length());
        return Optional.of(rest.substring(0, rest.indexOf('/')));
    }

    /** The table a compaction run creates over its new files to verify them. */
    public static String compactionTable(RunId runId) {
        return COMPACTION_TABLE_PREFIX + runId.asIdentifier();
    }

    public static boolean isCompactionTable(String table) {
        return table.startsWith(COMPACTION_TABLE_PREFIX);
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
     * The partition a PIT data file lies in ({@code security_of_interest_pit/business_unit=U/request_date=D/x.parquet},
     * or the same below {@code compacted/{runId}/}, any name but a hidden one), or empty for any other key.
     */
    public static Optional<PitPartition> partitionOf(String key) {
        // Any file an engine reads: the batch names its .parquet, a CTAS names its own; Hive hides _ and . names.
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (!key.startsWith(PIT_PREFIX) || name.isEmpty() || name.startsWith("_") || name.startsWith(".")) {
            return Optional.empty();
        }
        String path = key.substring(PIT_PREFIX.length());
        if (path.startsWith(COMPACTED_FOLDER)) {
            String rest = path.substring(COMPACTED_FOLDER.length());
            int slash = rest.indexOf('/');
            if (slash <= 0) {
                return Optional.empty();
            }
            path = rest.substring(slash + 1);
        }
        String[] parts = path.split("/");
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

    /** The prefix of a run's PIT files in the partition folder {@code location}. */
    public static String runFilesPrefix(String location, String runId) {
        return location + runId + "-";
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

    /** The read model's packages of {@code unit}. */
    public static String readModelPackagesPrefix(BusinessUnit unit) {
        return READ_MODEL_PREFIX + "packages/" + unit.code() + "/";
    }

    /**
     * The object {@code GET …/packages/{name}} reads. An upper-case letter is written {@code !} and the letter in lower
     * case ({@code Job_1} is {@code !job_1}): no package character, and keys stay apart on a file system that ignores case.
     */
    public static String readModelPackageKey(BusinessUnit unit, PackageName name) {
        return readModelPackagesPrefix(unit) + name.value().replaceAll("([A-Z])", "!$1").toLowerCase(java.util.Locale.ROOT) + ".json";
    }

    /** The package a {@link #readModelPackageKey} names, or empty for any other key. */
    public static Optional<PackageName> readModelPackageOf(BusinessUnit unit, String key) {
        String prefix = readModelPackagesPrefix(unit);
        String encoded = key.startsWith(prefix) && key.endsWith(".json") ? key.substring(prefix.length(), key.length() - 5) : "";
        try {
            return ENCODED_NAME.matcher(encoded).matches() ? Optional.of(PackageName.of(java.util.regex.Pattern.compile("!([a-z])")
                    .matcher(encoded).replaceAll(m -> m.group(1).toUpperCase(java.util.Locale.ROOT)))) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static String readModelIndexPrefix(BusinessUnit unit) {
        return READ_MODEL_PREFIX + "index/" + unit.code() + "/";
    }

    /** Page {@code page} of the unit's listing; zero-padded, so keys list in page order. */
    public static String readModelIndexPageKey(BusinessUnit unit, int page) {
        checkArgument(page >= 0 && page <= 9_999_999, "index page must be 0-9999999: %d", page);
        return readModelIndexPrefix(unit) + String.format("%07d", page) + ".json";
    }

    /** The page a {@link #readModelIndexPageKey} names, or -1 for any other key. */
    public static int readModelIndexPageOf(BusinessUnit unit, String key) {
        String page = key.startsWith(readModelIndexPrefix(unit)) ? key.substring(readModelIndexPrefix(unit).length()) : "";
        return page.matches("[0-9]{7}\\.json") ? Integer.parseInt(page.substring(0, 7)) : -1;
    }

    /** What {@code GET …/submissions/{id}} reads once the submission is applied; under its unit, never another's. */
    public static String readModelStatusKey(BusinessUnit unit, SubmissionId submissionId) {
        return READ_MODEL_PREFIX + "submissions/" + unit.code() + "/" + submissionId + ".json";
    }
}
