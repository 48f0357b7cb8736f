package dev.soi.batch.pit;

/**
 * What {@code bootstrap} did: the version the latest table is created at (if it did not exist yet), the partitions it
 * registered in this invocation, those the store holds in all, and those left for the next {@code bootstrap} when it
 * stopped at the invocation's deadline.
 */
public record Bootstrapped(String version, int registered, int found, int left, boolean stoppedAtDeadline) {}
