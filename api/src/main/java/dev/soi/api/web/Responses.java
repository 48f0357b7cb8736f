package dev.soi.api.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The JSON documents the API reads and writes. Names are the wire contract (snake_case). */
public final class Responses {
    private Responses() {}

    @Schema(name = "SubmissionRequest", description = "New state of one or more packages. An empty reference_ids array deletes the package. "
            + "Unknown fields are rejected.")
    public record SubmissionRequest(
            @JsonProperty("packages") @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "1..soi.api.limits.max-packages-per-submission packages, names unique") List<PackageRequest> packages) {}

    @Schema(name = "PackageRequest")
    public record PackageRequest(
            @JsonProperty("package_name") @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}") String packageName,
            @JsonProperty("reference_ids") @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    description = "Integers 1..9007199254740991; duplicates collapse") List<Long> referenceIds) {}

    @Schema(name = "SubmissionAccepted")
    @JsonPropertyOrder({"submission_id", "accepted_at", "business_unit", "packages", "status_url"})
    public record SubmissionAccepted(
            @JsonProperty("submission_id") @Schema(description = "UUIDv7; its timestamp is accepted_at") String submissionId,
            @JsonProperty("accepted_at") @Schema(description = "ISO-8601 UTC, milliseconds; becomes event_timestamp") String acceptedAt,
            @JsonProperty("business_unit") String businessUnit,
            @JsonProperty("packages") List<PackageAccepted> packages,
            @JsonProperty("status_url") String statusUrl) {}

    @Schema(name = "PackageAccepted")
    @JsonPropertyOrder({"package_name", "reference_ids_count", "deleted"})
    public record PackageAccepted(
            @JsonProperty("package_name") String packageName,
            @JsonProperty("reference_ids_count") @Schema(description = "distinct ids after duplicates collapsed") int referenceIdsCount,
            @JsonProperty("deleted") boolean deleted) {}

    @Schema(name = "LatestPackage")
    @JsonPropertyOrder({"business_unit", "package_name", "reference_ids", "event_timestamp", "submission_id"})
    public record LatestPackage(
            @JsonProperty("business_unit") String businessUnit,
            @JsonProperty("package_name") String packageName,
            @JsonProperty("reference_ids") List<Long> referenceIds,
            @JsonProperty("event_timestamp") String eventTimestamp,
            @JsonProperty("submission_id") String submissionId) {}

    @Schema(name = "PackagePage")
    @JsonPropertyOrder({"business_unit", "page", "size", "packages", "has_next"})
    public record PackagePage(
            @JsonProperty("business_unit") String businessUnit,
            @JsonProperty("page") int page,
            @JsonProperty("size") int size,
            @JsonProperty("packages") List<PackageSummary> packages,
            @JsonProperty("has_next") boolean hasNext) {}

    @Schema(name = "PackageSummary")
    @JsonPropertyOrder({"package_name", "reference_ids_count", "event_timestamp", "submission_id"})
    public record PackageSummary(
            @JsonProperty("package_name") String packageName,
            @JsonProperty("reference_ids_count") long referenceIdsCount,
            @JsonProperty("event_timestamp") String eventTimestamp,
            @JsonProperty("submission_id") String submissionId) {}

    @Schema(name = "SubmissionStatus")
    @JsonPropertyOrder({"submission_id", "business_unit", "status", "reason", "superseded_by"})
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record SubmissionStatus(
            @JsonProperty("submission_id") String submissionId,
            @JsonProperty("business_unit") String businessUnit,
            @JsonProperty("status") @Schema(allowableValues = {"QUEUED", "APPLIED", "DEAD_LETTERED"}) String status,
            @JsonProperty("reason") @Schema(description = "Why the batch could not apply it; only with DEAD_LETTERED",
                    nullable = true) String reason,
            @JsonProperty("superseded_by") @Schema(description = "Only with APPLIED: the submission whose version of a package this one "
                    + "set is the latest now (a newer submission, or the one this was stamped older than when it arrived); absent while "
                    + "every package it set is still its version", nullable = true) String supersededBy) {}
}
