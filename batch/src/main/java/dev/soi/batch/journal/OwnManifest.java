package dev.soi.batch.journal;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.PendingUpload;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * This run's own manifest as last written, and the one place that moves it: opened and given its staged files by
 * {@code write-pit-files}, committed by {@code commit-manifest}, given its latest version and marked done by
 * {@code rebuild-latest}. Each move is one of the {@link ManifestJournal}'s compare-and-swaps; the entry here is always
 * the one the next move must match. It also keeps the uploads this run staged, named in the manifest or not yet, so a run
 * that fails aborts them all. A roll-back never trusts the entry kept here: it reads the manifest afresh. Thread-safe.
 */
public final class OwnManifest {
    private final ManifestJournal journal;
    private final List<PendingUpload> staged = new CopyOnWriteArrayList<>();
    private volatile ManifestJournal.Entry entry;
    private volatile boolean opening;

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

    /** Whether the run tried to open its manifest: then a manifest may be in the store, whatever answer came back. */
    public boolean opening() {
        return opening;
    }

    public synchronized ManifestJournal.Entry open(RunManifest pending) {
        if (entry != null || opening) {
            throw new IllegalStateException("run manifest of " + pending.runId() + " is already open");
        }
        opening = true;
        return entry = journal.open(pending);
    }

    /** Keeps an upload this run staged, before the manifest names it. */
    public void staged(PendingUpload upload) {
        staged.add(upload);
    }

    /** Every upload this run staged. */
    public List<PendingUpload> stagedUploads() {
        return List.copyOf(staged);
    }

    public synchronized ManifestJournal.Entry stage(List<RunManifest.FileEntry> files) {
        return entry = journal.stage(get(), files);
    }

    public synchronized ManifestJournal.Entry commit() {
        return entry = journal.commit(get());
    }

    public synchronized ManifestJournal.Entry recordLatestVersion(String version, List<PublishedFile> versionFiles) {
        return entry = journal.recordLatestVersion(get(), version, versionFiles);
    }

    public synchronized ManifestJournal.Entry markDone(Map<String, Long> timings) {
        return entry = journal.markDone(get(), timings);
    }

}
