package dev.soi.batch.compaction;

/** What {@code finish-compactions} did: old folders deleted, and whether it stopped at the invocation's deadline. */
public record Finished(int oldFoldersDeleted, boolean stoppedAtDeadline) {
    public static final Finished NONE = new Finished(0, false);
}
