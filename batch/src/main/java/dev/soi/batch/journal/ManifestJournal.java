package dev.soi.batch.journal;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.LeaseLostException;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.StoredObject;
import dev.soi.core.write.OwnWrites;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The run manifests {@code _runs/{runId}.json}: the one owner of the commit protocol of
 * {@code docs/commit-protocol.md}. Every state change is one method here, and all of them go through one
 * compare-and-swap ({@link #transition}): a conditional write on the etag the caller last saw. Every write carries a
 * write token ({@link OwnWrites}), so a write whose answer was lost is recognised on re-read as ours; a lost race
 * means another run moved the manifest (our lease had expired) and is a {@link LeaseLostException}.
 *
 * <pre>
 *   open ──▶ PENDING ──stage──▶ PENDING ──commit──▶ COMMITTED ──markDone──▶ DONE
 *               └──────────────────abort──▶ ABORTED
 * </pre>
 *
 * <p>Beside the manifests the journal keeps two small indexes, so that no run has to scan the history:
 * an open-run marker {@code _journal/open/{runId}} from {@link #open} until {@link #markDone} or {@link #abort}
 * (recovery reads {@link #openRuns()}, whatever the runs' age), and {@code _journal/last-done.json}, the newest run
 * that published a latest version ({@link #lastDone()}). The marker is written before the manifest and deleted
 * after the final state and its clean-up, so a crash in between leaves a marker too many, never one too few; recovery
 * finishes an aborted run's clean-up and deletes a marker whose run is finished or never wrote its manifest ({@link #forget}).
 *
 * <p>One journal serves one command execution, writing as its run: it caches the manifests it read, since an earlier
 * run's manifest only changes through this run while it holds the lease; what a roll-back deletes is decided on a manifest
 * read afresh ({@link #reread}). Thread-safe.
 */
public final class ManifestJournal {
    private final ObjectStore store;
    private final Clock clock;
    private final OwnWrites writes;
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

    /** A journal that writes as run {@code writer}: its writes carry the run's id in their tokens. */
    public ManifestJournal(ObjectStore store, Clock clock, String writer) {
        this.store = requireNonNull(store, "object store");
        this.clock = requireNonNull(clock, "clock");
        this.writes = new OwnWrites(store, writer);
    }

    /** A journal for reading (status); a write through it would name no run. */
    public ManifestJournal(ObjectStore store, Clock clock) {
        this(store, clock, "reader");
    }

    // ------------------------------------------------------------------ state changes

    /** Writes a new run's open-run marker, then its PENDING manifest; the key must not exist ({@code If-None-Match: *}). */
    public Entry open(RunManifest pending) {
        checkArgument(pending.state() == ManifestState.PENDING, "a run opens PENDING, not %s", pending.state());
        RunId runId = new RunId(pending.runId());
        writes.put(StorageLayout.openRunKey(runId), JournalJson.write(Map.of("run_id", runId.value())));
        String key = StorageLayout.manifestKey(runId);
        OwnWrites.Outcome opened = writes.create(key, codec.write(pending));
        if (!opened.ours()) {
            throw new IllegalStateException("run manifest " + key + " already exists, written by "
                    + OwnWrites.writerOf(opened.found().content()).orElse("an older version") + "; run ids must be unique");
        }
        return remember(new Entry(key, pending, etagOf(key, opened)));
    }

    /**
     * PENDING → PENDING with the run's files and the staged uploads that will make them visible: named before the commit,
     * so whoever finishes the run completes them (COMMITTED) or aborts them (never committed).
     */
    public Entry stage(Entry pending, List<RunManifest.FileEntry> files) {
        expect(pending, ManifestState.PENDING);
        return transition(pending, pending.manifest().withFiles(files), "; it was rolled back by another run after this run's lease expired");
    }

    /** PENDING → COMMITTED: the staged files become part of the PIT table. This write is the commit point of a run. */
    public Entry commit(Entry pending) {
        expect(pending, ManifestState.PENDING);
        return transition(pending, pending.manifest().withState(ManifestState.COMMITTED, null),
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
     * COMMITTED → DONE: the partitions are registered and the latest table includes the run. A run that recorded a latest
     * version first becomes the last-done run (so a failure in between leaves a COMMITTED run that the next run carries,
     * never a DONE run the last-done record does not know); its open-run marker goes last.
     */
    public Entry markDone(Entry committed, Map<String, Long> timings) {
        expect(committed, ManifestState.COMMITTED);
        RunManifest done = committed.manifest().withState(ManifestState.DONE, clock.instant());
        if (done.latestVersion() != null) {
            advance(StorageLayout.LAST_DONE_KEY, done.runId(), codec.writeLastDone(new LastDone(done.runId(), done.latestVersion(),
                    done.finishedAt(), done.latestFiles())), content -> codec.readLastDone(StorageLayout.LAST_DONE_KEY, content).runId());
        }
        Entry entry = transition(committed, timings == null ? done : done.withTimings(timings), "");
        forget(new RunId(entry.runId()));
        return entry;
    }

    /**
     * PENDING → ABORTED: the fence of a roll-back. Only once this write is ours are the run's files and uploads deleted;
     * the open-run marker stays until they are ({@link #forget}), so a clean-up cut short is finished by the next run.
     */
    public Entry abort(Entry pending) {
        expect(pending, ManifestState.PENDING);
        return transition(pending, pending.manifest().withState(ManifestState.ABORTED, clock.instant()), "");
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
        return reread(key);
    }

    /** The manifest under {@code key} as it is in the store now, whatever this journal read or wrote before. */
    public Optional<Entry> reread(String key) {
        Optional<StoredObject> object = store.get(key);
        if (object.isEmpty()) {
            cache.remove(key);
            return Optional.empty();
        }
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

    /** Records that the latest table was current as of {@code asOf}; a newer record replaces an older one, never the reverse. */
    public void recordLatestCurrent(LatestCurrent current) {
        advance(StorageLayout.LATEST_CURRENT_KEY, current.runId(), codec.writeLatestCurrent(current),
                content -> codec.readLatestCurrent(StorageLayout.LATEST_CURRENT_KEY, content).runId());
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
        OwnWrites.Outcome outcome = writes.replace(from.key(), codec.write(to), from.etag());
        if (!outcome.ours()) {
            cache.remove(from.key());
            throw new LeaseLostException("run manifest " + from.key() + " changed under run " + from.runId() + " (it was "
                    + from.state() + ", this run wrote " + to.state() + "; " + describe(outcome) + ")" + lostRaceDetail);
        }
        return remember(new Entry(from.key(), to, etagOf(from.key(), outcome)));
    }

    /**
     * Replaces a record that names a run ({@code _journal/last-done.json}, {@code _journal/latest-current.json}) unless it
     * already names a newer one: run ids sort by start, so a late write of a fenced run never moves it back.
     */
    private void advance(String key, String runId, byte[] record, Function<byte[], String> runOf) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<StoredObject> current = store.get(key);
            if (current.isPresent() && runOf.apply(current.get().content()).compareTo(runId) > 0) {
                return;
            }
            OwnWrites.Outcome outcome = current.isEmpty() ? writes.create(key, record) : writes.replace(key, record, current.get().etag());
            if (outcome.ours()) {
                return;
            }
        }
        throw new LeaseLostException(key + " kept changing while run " + runId + " wrote it; another run is writing it too");
    }

    private static String describe(OwnWrites.Outcome lost) {
        return lost.found() == null ? "it is gone"
                : "it was written by " + OwnWrites.writerOf(lost.found().content()).orElse("an older version");
    }

    private static void expect(Entry entry, ManifestState state) {
        checkArgument(entry.state() == state, "run manifest %s is %s, not %s", entry.key(), entry.state(), state);
    }

    private Entry remember(Entry entry) {
        cache.put(entry.key(), entry);
        return entry;
    }

    /** The etag of our write: as read back when it was, else read now, and only if the object is still ours. */
    private String etagOf(String key, OwnWrites.Outcome ours) {
        return ours.foundEtag().orElseGet(() -> writes.readOwn(key, ours.token()).map(StoredObject::etag)
                .orElseThrow(() -> new LeaseLostException("run manifest " + key + " changed right after this run wrote it")));
    }
}
