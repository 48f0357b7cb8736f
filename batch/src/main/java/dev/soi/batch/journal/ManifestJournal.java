package dev.soi.batch.journal;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.LeaseLostException;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.WriteOutcome;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run manifests {@code _runs/{runId}.json}: the one owner of the commit protocol of
 * {@code docs/commit-protocol.md}. Every state change is one method here, and all of them go through one
 * compare-and-swap ({@link #transition}): a conditional write on the etag the caller last saw. A lost race
 * means another run moved the manifest (our lease had expired) and is a {@link LeaseLostException}.
 *
 * <pre>
 *   open ──▶ PENDING ──commit──▶ COMMITTED ──markDone──▶ DONE
 *               └──────abort──▶ ABORTED
 * </pre>
 *
 * <p>Beside the manifests the journal keeps two small indexes, so that no run has to scan the history:
 * an open-run marker {@code _journal/open/{runId}} from {@link #open} until {@link #markDone} or {@link #abort}
 * (recovery reads {@link #openRuns()}, whatever the runs' age), and {@code _journal/last-done.json}, the newest run
 * that published a latest version ({@link #lastDone()}). The marker is written before the manifest and deleted
 * after the final state, so a crash in between leaves a marker too many, never one too few; recovery deletes
 * a marker whose run is finished or never wrote its manifest ({@link #forget}).
 *
 * <p>One journal serves one command execution: it caches the manifests it read, since an earlier run's manifest
 * only changes through this run while it holds the lease. Thread-safe.
 */
public final class ManifestJournal {
    private final ObjectStore store;
    private final Clock clock;
    private final ManifestCodec codec = new ManifestCodec();
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    /** A manifest as last read or written, with the etag the next change must match. */
    public record Entry(String key, RunManifest manifest, String etag) {
        public Entry {
            requireNonNull(key, "key");
            requireNonNull(manifest, "manifest");
            requireNonNull(etag, "etag");
        }

        public ManifestState state() {
            return manifest.state();
        }

        public String runId() {
            return manifest.runId();
        }
    }

    public ManifestJournal(ObjectStore store, Clock clock) {
        this.store = requireNonNull(store, "object store");
        this.clock = requireNonNull(clock, "clock");
    }

    // ------------------------------------------------------------------ state changes

    /** Writes a new run's open-run marker, then its PENDING manifest; the key must not exist ({@code If-None-Match: *}). */
    public Entry open(RunManifest pending) {
        checkArgument(pending.state() == ManifestState.PENDING, "a run opens PENDING, not %s", pending.state());
        RunId runId = new RunId(pending.runId());
        store.put(StorageLayout.openRunKey(runId), new byte[0]);
        String key = StorageLayout.manifestKey(runId);
        if (store.putIfAbsent(key, codec.write(pending)) != WriteOutcome.WRITTEN) {
            throw new IllegalStateException("run manifest " + key + " already exists; run ids must be unique");
        }
        return remember(new Entry(key, pending, etagOf(key)));
    }

    /** PENDING → COMMITTED with the run's files. This write is the commit point of a run. */
    public Entry commit(Entry pending, List<RunManifest.FileEntry> files) {
        expect(pending, ManifestState.PENDING);
        return transition(pending, pending.manifest().withFiles(files).withState(ManifestState.COMMITTED, null),
                "; it was rolled back by another run after this run's lease expired");
    }

    /**
     * Records, before the swap, which latest version the run is about to point the table at, and its files then: what a
     * later run checks the version against.
     */
    public Entry recordLatestVersion(Entry committed, String version, List<PublishedFile> versionFiles) {
        expect(committed, ManifestState.COMMITTED);
        return transition(committed, committed.manifest().withLatestVersion(version, versionFiles), "");
    }

    /**
     * COMMITTED → DONE: the partitions are registered and the latest table includes the run. A run that recorded
     * a latest version becomes the last-done run; its open-run marker goes.
     */
    public Entry markDone(Entry committed, Map<String, Long> timings) {
        expect(committed, ManifestState.COMMITTED);
        RunManifest done = committed.manifest().withState(ManifestState.DONE, clock.instant());
        Entry entry = transition(committed, timings == null ? done : done.withTimings(timings), "");
        if (entry.manifest().latestVersion() != null) {
            store.put(StorageLayout.LAST_DONE_KEY, codec.writeLastDone(new LastDone(entry.runId(), entry.manifest().latestVersion(),
                    entry.manifest().finishedAt(), entry.manifest().latestFiles())));
        }
        forget(new RunId(entry.runId()));
        return entry;
    }

    /** PENDING → ABORTED: the run's files were deleted by the run that rolled it back. Its open-run marker goes. */
    public Entry abort(Entry pending) {
        expect(pending, ManifestState.PENDING);
        Entry entry = transition(pending, pending.manifest().withState(ManifestState.ABORTED, clock.instant()), "");
        forget(new RunId(entry.runId()));
        return entry;
    }

    /** Deletes run {@code runId}'s open-run marker, if any: the run is finished, or never wrote its manifest. */
    public void forget(RunId runId) {
        store.delete(List.of(StorageLayout.openRunKey(runId)));
    }

    // ------------------------------------------------------------------ reads

    /** The manifest under {@code key}, if any; a damaged one is an {@link IllegalStateException} naming the key. */
    public Optional<Entry> read(String key) {
        Entry cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<StoredObject> object = store.get(key);
        return object.map(o -> remember(new Entry(key, codec.read(key, o.content()), o.etag())));
    }

    /**
     * The newest run that published a latest version, as {@link #markDone} recorded it, with the version's files at the
     * swap (none for a version published before files were recorded).
     */
    public record LastDone(String runId, String latestVersion, java.time.Instant finishedAt,
                           @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
                           List<PublishedFile> latestFiles) {
        public LastDone {
            latestFiles = latestFiles == null ? List.of() : List.copyOf(latestFiles);
        }
    }

    /**
     * The latest table ({@code latestVersion}, null before the first publication) held every submission accepted
     * before {@code currentAsOf}: run {@code runId} started then, drained the queue to its end and completed.
     */
    public record LatestCurrent(String runId, String latestVersion, java.time.Instant currentAsOf) {}

    /** Records that the latest table was current as of {@code asOf}; a newer record replaces an older one. */
    public void recordLatestCurrent(LatestCurrent current) {
        store.put(StorageLayout.LATEST_CURRENT_KEY, codec.writeLatestCurrent(current));
    }

    /** The latest-current record, if a run left one; a damaged one is an {@link IllegalStateException} naming its key. */
    public Optional<LatestCurrent> latestCurrent() {
        return store.get(StorageLayout.LATEST_CURRENT_KEY).map(o -> codec.readLatestCurrent(StorageLayout.LATEST_CURRENT_KEY, o.content()));
    }

    /** Runs with an open-run marker (opened and not known to be finished), oldest first. */
    public List<RunId> openRuns() {
        List<RunId> runs = new ArrayList<>();
        for (ObjectSummary object : store.list(StorageLayout.OPEN_RUNS_PREFIX)) {
            StorageLayout.runOfOpenMarker(object.key()).ifPresent(runs::add);
        }
        runs.sort(null);
        return runs;
    }

    /** The last-done record; a damaged one is an {@link IllegalStateException} naming its key. */
    public Optional<LastDone> lastDone() {
        return store.get(StorageLayout.LAST_DONE_KEY).map(o -> codec.readLastDone(StorageLayout.LAST_DONE_KEY, o.content()));
    }

    /** The manifest of run {@code runId}, if it wrote one. */
    public Optional<RunManifest> manifestOf(RunId runId) {
        return read(StorageLayout.manifestKey(runId)).map(Entry::manifest);
    }

    /** Manifest keys of the runs started on the days {@code from..to} (UTC), in start order. */
    public List<String> keysBetween(LocalDate from, LocalDate to) {
        List<String> keys = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            for (ObjectSummary object : store.list(StorageLayout.manifestDayPrefix(day))) {
                if (StorageLayout.isManifestKey(object.key())) {
                    keys.add(object.key());
                }
            }
        }
        return keys;
    }

    // ------------------------------------------------------------------ the one compare-and-swap

    private Entry transition(Entry from, RunManifest to, String lostRaceDetail) {
        if (store.putIfMatch(from.key(), codec.write(to), from.etag()) != WriteOutcome.WRITTEN) {
            cache.remove(from.key());
            throw new LeaseLostException("run manifest " + from.key() + " changed under run " + from.runId() + " (it was "
                    + from.state() + ", this run wrote " + to.state() + ")" + lostRaceDetail);
        }
        return remember(new Entry(from.key(), to, etagOf(from.key())));
    }

    private static void expect(Entry entry, ManifestState state) {
        checkArgument(entry.state() == state, "run manifest %s is %s, not %s", entry.key(), entry.state(), state);
    }

    private Entry remember(Entry entry) {
        cache.put(entry.key(), entry);
        return entry;
    }

    private String etagOf(String key) {
        return store.get(key).map(StoredObject::etag)
                .orElseThrow(() -> new ObjectStoreException("run manifest " + key + " vanished right after it was written"));
    }
}
