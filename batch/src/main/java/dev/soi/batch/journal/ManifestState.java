package dev.soi.batch.journal;

/**
 * Life of a run manifest. PENDING: files may exist but are not part of the table (a later run deletes
 * them). COMMITTED: the files are part of the PIT table and the submissions count as applied. DONE: the
 * partitions are registered and the latest table includes them. ABORTED: rolled back by a later run.
 */
public enum ManifestState {
    PENDING,
    COMMITTED,
    DONE,
    ABORTED;

    /** Whether the manifest's submissions are in the PIT table. */
    public boolean isCommitted() {
        return this == COMMITTED || this == DONE;
    }
}
