package dev.soi.core.testing;

import dev.soi.core.port.CatalogVersions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Glue's table versions in memory: {@link #updated} archives a version as {@code UpdateTable} does, and {@link #prune}
 * keeps the newest. Version ids count up from 1 per table, as Glue's do. Passes the {@code CatalogVersionsContract}.
 * Thread-safe.
 */
public final class InMemoryCatalogVersions implements CatalogVersions {
    private final Map<String, List<Long>> versions = new HashMap<>();
    private final Map<String, Long> next = new HashMap<>();

    /** The table was created or updated: one version more. */
    public synchronized void updated(String table) {
        long id = next.merge(table, 1L, Long::sum);
        versions.computeIfAbsent(table, t -> new ArrayList<>()).add(id);
    }

    /** The table was deleted, and its versions with it. */
    public synchronized void dropped(String table) {
        versions.remove(table);
        next.remove(table);
    }

    @Override
    public synchronized int prune(String table, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1 (the current version): " + keep);
        }
        List<Long> ids = versions.getOrDefault(table, new ArrayList<>());
        int deleted = Math.max(0, ids.size() - keep);
        ids.subList(0, deleted).clear();
        return deleted;
    }

    @Override
    public synchronized int count(String table) {
        return versions.getOrDefault(table, List.of()).size();
    }
}
