package dev.soi.batch.journal;

import static dev.soi.core.domain.Checks.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.port.PendingUpload;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run manifest {@code _runs/{runId}.json}: the commit record of one run and its lineage (submission →
 * file → latest version), and the staged uploads its commit makes visible. See {@code docs/commit-protocol.md}.
 * Immutable; state changes make copies.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunManifest(String runId, ManifestState state, long fencingToken, Instant startedAt, Instant finishedAt,
                          List<SubmissionEntry> submissions, List<PartitionEntry> partitions, List<FileEntry> files,
                          String latestVersion, List<String> recovered, Map<String, Long> timings,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) List<PublishedFile> latestFiles) {

    public RunManifest {
        requireNonNull(runId, "run id");
        requireNonNull(state, "state");
        requireNonNull(startedAt, "started at");
        submissions = submissions == null ? List.of() : List.copyOf(submissions);
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
        files = files == null ? List.of() : List.copyOf(files);
        recovered = recovered == null ? List.of() : List.copyOf(recovered);
        timings = timings == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(timings));
        latestFiles = latestFiles == null ? List.of() : List.copyOf(latestFiles);
    }

    public RunManifest withState(ManifestState newState, Instant finished) {
        return new RunManifest(runId, newState, fencingToken, startedAt, finished, submissions, partitions, files,
                latestVersion, recovered, timings, latestFiles);
    }

    public RunManifest withFiles(List<FileEntry> newFiles) {
        return new RunManifest(runId, state, fencingToken, startedAt, finishedAt, submissions, partitions, newFiles,
                latestVersion, recovered, timings, latestFiles);
    }

    /** The latest version this run is about to swap in, with its files as they are then. */
    public RunManifest withLatestVersion(String version, List<PublishedFile> versionFiles) {
        return new RunManifest(runId, state, fencingToken, startedAt, finishedAt, submissions, partitions, files,
                version, recovered, timings, versionFiles);
    }

    public RunManifest withTimings(Map<String, Long> newTimings) {
        return new RunManifest(runId, state, fencingToken, startedAt, finishedAt, submissions, partitions, files,
                latestVersion, recovered, newTimings, latestFiles);
    }

    public List<PitPartition> pitPartitions() {
        return partitions.stream().map(PartitionEntry::toPartition).toList();
    }

    /** One applied submission. */
    public record SubmissionEntry(String submissionId, String businessUnit, Instant acceptedAt, long rows) {}

    /** One partition the run wrote. */
    public record PartitionEntry(String businessUnit, LocalDate requestDate) {
        public static PartitionEntry of(PitPartition partition) {
            return new PartitionEntry(partition.businessUnit().code(), partition.requestDate());
        }

        public PitPartition toPartition() {
            return new PitPartition(BusinessUnit.of(businessUnit), requestDate);
        }
    }

    /**
     * One Parquet file of the run. {@code upload} names the staged upload that makes it visible (see
     * {@code docs/commit-protocol.md}): completed once the manifest is COMMITTED, aborted if it never is. Null for a file
     * made visible when it was written (manifests of earlier versions).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileEntry(String key, String businessUnit, LocalDate requestDate, long rows, long bytes, Upload upload) {
        public FileEntry(String key, String businessUnit, LocalDate requestDate, long rows, long bytes) {
            this(key, businessUnit, requestDate, rows, bytes, null);
        }

        /** The staged upload as the store takes it back, if the file was staged. */
        public Optional<PendingUpload> pendingUpload() {
            return upload == null ? Optional.empty() : Optional.of(new PendingUpload(key, upload.uploadId(), upload.partEtags(), bytes));
        }
    }

    /** A staged upload as the manifest names it: the store's id for it and its parts' etags. */
    public record Upload(String uploadId, List<String> partEtags) {
        public Upload {
            requireNonNull(uploadId, "upload id");
            partEtags = partEtags == null ? List.of() : List.copyOf(partEtags);
        }

        public static Upload of(PendingUpload pending) {
            return new Upload(pending.uploadId(), pending.partEtags());
        }
    }

    /** The staged uploads of the run's files. */
    public List<PendingUpload> pendingUploads() {
        return files.stream().flatMap(f -> f.pendingUpload().stream()).toList();
    }
}
