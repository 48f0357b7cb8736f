package dev.soi.batch.compaction;

/**
 * Life of one partition's compaction (see {@code docs/commit-protocol.md}). PENDING: new files may exist in the
 * target folder; the table reads the old one. VERIFIED: the engine found the new files hold exactly the old rows;
 * the table may already read either folder. SWAPPED: the table reads the new folder. DONE: finished; the old
 * folder is deleted a grace period later. ABORTED: the table reads the old folder and never the target, whose files are
 * deleted (the record keeps {@code target} until they are).
 */
public enum CompactionState {
    PENDING,
    VERIFIED,
    SWAPPED,
    DONE,
    ABORTED;

    /** Whether a compaction in this state is still under way, so a later run must finish or undo it first. */
    public boolean inFlight() {
        return this == PENDING || this == VERIFIED || this == SWAPPED;
    }
}
