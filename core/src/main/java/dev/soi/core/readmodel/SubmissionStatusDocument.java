package dev.soi.core.readmodel;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.SubmissionId;

/**
 * An applied submission, as {@code GET …/submissions/{id}} answers it: APPLIED, and, once the latest version of a
 * package it set belongs to another submission, {@code supersededBy} names that submission (null until then). That
 * is so whether the other one is newer, or this one was stamped older than the version it would have replaced.
 */
public record SubmissionStatusDocument(BusinessUnit unit, SubmissionId submissionId, SubmissionId supersededBy) {
    public SubmissionStatusDocument {
        requireNonNull(unit, "business unit");
        requireNonNull(submissionId, "submission id");
        checkArgument(!submissionId.equals(supersededBy), "submission %s cannot supersede itself", submissionId);
    }
}
