package dev.soi.core.port;

/**
 * The catalog's archived versions of a table. AWS Glue keeps a version of a table at each update
 * ({@code UpdateTable} archives the table as it was unless asked not to), up to a limit per table and per account; past
 * the limit every update of the table fails. Each swap of the latest table is one such update, so the batch prunes the
 * versions the catalog keeps after each swap.
 *
 * <p>Implementations are thread-safe. Pruning is idempotent: a retry after a lost answer deletes nothing twice and
 * keeps the same newest versions. The local engines' catalogs keep no versions: {@link #NONE}.
 */
public interface CatalogVersions {
    /** A catalog that keeps no archived versions. */
    CatalogVersions NONE = new CatalogVersions() {
        @Override
        public int prune(String table, int keep) {
            if (keep < 1) {
                throw new IllegalArgumentException("keep must be at least 1 (the current version): " + keep);
            }
            return 0;
        }

        @Override
        public int count(String table) {
            return 0;
        }
    };

    /**
     * Deletes every version of {@code table} (in the batch's database) but the newest {@code keep}, the current one
     * among them, and returns how many it deleted. A table with {@code keep} versions or fewer is left as it is.
     *
     * @throws IllegalArgumentException if {@code keep} is less than 1
     */
    int prune(String table, int keep);

    /** How many versions the catalog keeps of {@code table}, the current one included (0 for an unknown table). */
    int count(String table);
}
