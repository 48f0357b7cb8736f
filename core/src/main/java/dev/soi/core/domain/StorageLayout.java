package dev.soi.core.domain;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

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
    public static final String LEASE_KEY = "_lease";
    /** The empty folder the latest table points at before its first build. */
    public static final String LATEST_EMPTY_VERSION = "initial";

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
        return LATEST_PREFIX + "version=" + version + "/";
    }

    public static String manifestKey(RunId runId) {
        return RUNS_PREFIX + runId + ".json";
    }

    public static String payloadKey(SubmissionId submissionId) {
        return PAYLOADS_PREFIX + submissionId + ".json";
    }
}
