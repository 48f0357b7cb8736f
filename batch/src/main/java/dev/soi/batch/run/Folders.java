package dev.soi.batch.run;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectSummary;
import java.util.List;

/** Folders of the store as the batch owns them: a latest version, a PIT partition's folder, a compaction's target. */
public final class Folders {
    private Folders() {}

    /** Deletes every object under {@code prefix} (a folder key ending in {@code /}); an empty folder costs one listing. */
    public static void delete(ObjectStore store, String prefix) {
        List<String> keys = store.list(prefix).stream().map(ObjectSummary::key).toList();
        if (!keys.isEmpty()) {
            store.delete(keys);
        }
    }
}
