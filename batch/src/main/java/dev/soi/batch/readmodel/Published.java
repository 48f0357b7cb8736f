package dev.soi.batch.readmodel;

/**
 * What {@code publish-read-model} wrote: how (a run's changes only, or the whole read model again), and how many
 * objects of each kind it wrote or deleted.
 */
public record Published(Publication publication, String latestVersion, long packagesWritten, long packagesDeleted,
                        long statusesWritten, long pagesWritten, long pagesDeleted) {

    public enum Publication {
        /** Nothing: the read model already held the version (bootstrap), or another run held the lease. */
        NONE,
        /** The packages the run and the runs it carries wrote, their units' listings, their submissions' statuses. */
        CHANGES,
        /** Every package and listing again, from the whole latest table. */
        FULL
    }

    public static Published none(String latestVersion) {
        return new Published(Publication.NONE, latestVersion, 0, 0, 0, 0, 0);
    }

    public long objectsWritten() {
        return packagesWritten + statusesWritten + pagesWritten;
    }
}
