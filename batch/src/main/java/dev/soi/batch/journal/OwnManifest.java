package dev.soi.batch.journal;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This run's own manifest as last written, and the one place that moves it: opened by {@code write-pit-files},
 * committed by {@code commit-manifest}, given its latest version and marked done by {@code rebuild-latest}, or aborted
 * when the run fails before its commit. Each move is one of the {@link ManifestJournal}'s compare-and-swaps; the entry
 * here is always the one the next move must match. Thread-safe.
 */
public final class OwnManifest {
    private final ManifestJournal journal;
    private volatile ManifestJournal.Entry entry;

    public OwnManifest(ManifestJournal journal) {
        this.journal = requireNonNull(journal, "manifest journal");
    }

    /** The manifest as last written, or empty before the run opened it (a run that changed nothing never does). */
    public Optional<ManifestJournal.Entry> current() {
        return Optional.ofNullable(entry);
    }

    /** The manifest as last written; only a step after {@code write-pit-files} may ask. */
    public ManifestJournal.Entry get() {
        return current().orElseThrow(() -> new IllegalStateException("this run's manifest was read before write-pit-files opened it"));
    }

    public synchronized ManifestJournal.Entry open(RunManifest pending) {
        if (entry != null) {
            throw new IllegalStateException("run manifest " + entry.key() + " is already open");
        }
        return entry = journal.open(pending);
    }

    public synchronized ManifestJournal.Entry commit(List<RunManifest.FileEntry> files) {
        return entry = journal.commit(get(), files);
    }

    public synchronized ManifestJournal.Entry recordLatestVersion(String version, List<PublishedFile> versionFiles) {
        return entry = journal.recordLatestVersion(get(), version, versionFiles);
    }

    public synchronized ManifestJournal.Entry markDone(Map<String, Long> timings) {
        return entry = journal.markDone(get(), timings);
    }

    public synchronized ManifestJournal.Entry abort() {
        return entry = journal.abort(get());
    }
}
