package dev.soi.aws;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.CatalogVersions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.BatchDeleteTableVersionResponse;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.TableVersion;
import software.amazon.awssdk.services.glue.model.TableVersionError;

/**
 * {@link CatalogVersions} on the Glue Data Catalog. Glue archives a table version at each {@code UpdateTable} (Athena's
 * {@code ALTER TABLE … SET TBLPROPERTIES} is one), up to a limit per table; past it every update of the table fails.
 * Pruning lists the table's versions ({@code GetTableVersions}, 100 a page) and deletes all but the newest
 * ({@code BatchDeleteTableVersion}, at most 100 ids a call). Pruned after every swap, a table has a handful of versions,
 * so a prune is one listing call and at most one delete. A version already gone (a retry after a lost answer, or two
 * prunes racing) counts as deleted by the other; any other per-version error fails the prune with Glue's code and message.
 * Thread-safe.
 */
public final class GlueCatalogVersions implements CatalogVersions {
    /** Glue's limit on the ids of one BatchDeleteTableVersion call, and on a GetTableVersions page. */
    static final int BATCH = 100;

    private final GlueClient glue;
    private final String database;

    public GlueCatalogVersions(GlueClient glue, String database) {
        this.glue = requireNonNull(glue, "glue client");
        this.database = requireNonNull(database, "database");
    }

    @Override
    public int prune(String table, int keep) {
        requireNonNull(table, "table");
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1 (the current version): " + keep);
        }
        List<Long> ids = versions(table);
        if (ids.size() <= keep) {
            return 0;
        }
        // Newest first: version ids count up by one at each update.
        List<String> old = ids.subList(keep, ids.size()).stream().map(String::valueOf).toList();
        int deleted = 0;
        for (int from = 0; from < old.size(); from += BATCH) {
            List<String> batch = old.subList(from, Math.min(old.size(), from + BATCH));
            BatchDeleteTableVersionResponse response;
            try {
                response = glue.batchDeleteTableVersion(b -> b.databaseName(database).tableName(table).versionIds(batch));
            } catch (EntityNotFoundException e) {
                return deleted;
            } catch (SdkException e) {
                throw new IllegalStateException("Glue BatchDeleteTableVersion of " + database + "." + table + " failed: "
                        + e.getMessage() + ". The batch role needs glue:BatchDeleteTableVersion on the table", e);
            }
            List<TableVersionError> failed = response.errors().stream()
                    .filter(error -> error.errorDetail() == null || !"EntityNotFoundException".equals(error.errorDetail().errorCode()))
                    .toList();
            if (!failed.isEmpty()) {
                TableVersionError first = failed.get(0);
                throw new IllegalStateException("Glue could not delete " + failed.size() + " archived versions of " + database + "."
                        + table + ", the first " + first.versionId() + ": " + (first.errorDetail() == null ? "no detail"
                        : first.errorDetail().errorCode() + " " + first.errorDetail().errorMessage()));
            }
            deleted += batch.size();
        }
        return deleted;
    }

    @Override
    public int count(String table) {
        return versions(requireNonNull(table, "table")).size();
    }

    /** The table's version ids, newest first; none for a table Glue does not know. */
    private List<Long> versions(String table) {
        List<Long> ids = new ArrayList<>();
        try {
            glue.getTableVersionsPaginator(b -> b.databaseName(database).tableName(table).maxResults(BATCH))
                    .stream().flatMap(page -> page.tableVersions().stream()).map(TableVersion::versionId)
                    .forEach(id -> ids.add(Long.parseLong(id)));
        } catch (EntityNotFoundException e) {
            return List.of();
        } catch (SdkException e) {
            throw new IllegalStateException("Glue GetTableVersions of " + database + "." + table + " failed: " + e.getMessage()
                    + ". The batch role needs glue:GetTableVersions on the table", e);
        }
        ids.sort(Comparator.reverseOrder());
        return ids;
    }
}
