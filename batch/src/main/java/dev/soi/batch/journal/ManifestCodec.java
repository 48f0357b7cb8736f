package dev.soi.batch.journal;

/** Reads and writes run manifests and the journal's two records in {@link JournalJson}. Thread-safe. */
public final class ManifestCodec {

    public byte[] write(RunManifest manifest) {
        return JournalJson.write(manifest);
    }

    public byte[] writeLastDone(ManifestJournal.LastDone lastDone) {
        return JournalJson.write(lastDone);
    }

    public byte[] writeLatestCurrent(ManifestJournal.LatestCurrent current) {
        return JournalJson.write(current);
    }

    /** Parses the latest-current record; a corrupt one is an {@link IllegalStateException} naming the key. */
    public ManifestJournal.LatestCurrent readLatestCurrent(String key, byte[] content) {
        return JournalJson.read("latest-current record", key, content, ManifestJournal.LatestCurrent.class);
    }

    /** Parses the last-done record; a corrupt one is an {@link IllegalStateException} naming the key. */
    public ManifestJournal.LastDone readLastDone(String key, byte[] content) {
        return JournalJson.read("last-done record", key, content, ManifestJournal.LastDone.class);
    }

    /** Parses a manifest; a corrupt one is an {@link IllegalStateException} naming the key. */
    public RunManifest read(String key, byte[] content) {
        return JournalJson.read("run manifest", key, content, RunManifest.class);
    }
}
