package dev.soi.batch.testing;

/** A row of the latest table as the tests compare it: the key plus the winning submission. */
public record LatestRow(String businessUnit, String packageName, long referenceId, String submissionId) {}
