package dev.soi.batch.compaction;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.JournalJson;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.LeaseLostException;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.WriteOutcome;
import java.time.Clock;
import java.util.Optional;

/**
 * The compaction records {@code _compactions/business_unit=U/request_date=D.json}: the one owner of the compaction
 * protocol of {@code docs/commit-protocol.md}, written as {@link dev.soi.batch.journal.ManifestJournal} is. Each state change is one
 * method, and all of them go through one compare-and-swap ({@link #transition}); a lost race means another run
 * moved the record behind this run's expired lease and is a {@link LeaseLostException}.
 *
 * <pre>
 *   (none|DONE|ABORTED) ──open──▶ PENDING ──verified──▶ VERIFIED ──swapped──▶ SWAPPED ──done──▶ DONE ──retire──▶ DONE
 *                                    └──────abort──▶ ABORTED (one more failure in a row; DONE clears them)
 * </pre>
 *
 * Reads are not cached: runs, rebuilds and compactions all read the record a partition's writer trusts. Thread-safe.
 */
public final class CompactionJournal {
    private final ObjectStore store;
    private final Clock clock;

    /** A record as last read or written, with the etag the next change must match (null: no record yet). */
    public record Entry(String key, CompactionRecord record, String etag) {
        public CompactionState state() {
            return record.state();
        }
    }

    public CompactionJournal(ObjectStore store, Clock clock) {
        this.store = requireNonNull(store, "object store");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The record of {@code partition}, if it was ever compacted; a damaged one is an {@link IllegalStateException}. */
    public Optional<Entry> read(PitPartition partition) {
        String key = StorageLayout.compactionKey(partition);
        return store.get(key).map(o -> new Entry(key, decode(key, o.content()), o.etag()));
    }

    /** The folder writers write {@code partition}'s new files to and the table reads: its record's, or the original. */
    public static String locationOf(PitPartition partition, Optional<Entry> entry) {
        return entry.map(e -> e.record().location()).orElse(StorageLayout.partitionPrefix(partition));
    }

    // ------------------------------------------------------------------ state changes

    /** Starts compacting {@code partition} into {@code target}: a new record, or one whose last compaction ended. */
    public Entry open(PitPartition partition, Optional<Entry> previous, RunId run, String target, int filesBefore, long bytesBefore) {
        previous.ifPresent(e -> checkArgument(!e.state().inFlight() && e.record().retired() == null,
                "compaction record %s is %s with retired folder %s; finish it before compacting again", e.key(), e.state(), e.record().retired()));
        CompactionRecord pending = new CompactionRecord(partition.businessUnit().code(), partition.requestDate(),
                CompactionState.PENDING, run.value(), locationOf(partition, previous), target, null, null, 0, null,
                filesBefore, 0, bytesBefore, 0, clock.instant(), previous.map(e -> e.record().failures()).orElse(0));
        String key = StorageLayout.compactionKey(partition);
        if (previous.isEmpty()) {
            if (store.putIfAbsent(key, encode(pending)) != WriteOutcome.WRITTEN) {
                throw new LeaseLostException("compaction record " + key + " appeared under run " + run);
            }
            return new Entry(key, pending, etagOf(key));
        }
        return transition(previous.get(), pending);
    }

    /** PENDING → VERIFIED: the engine counted the same rows with the same checksum in both folders. */
    public Entry verified(Entry pending, long rows, String checksum, int filesAfter, long bytesAfter) {
        expect(pending, CompactionState.PENDING);
        return transition(pending, pending.record().withCounts(rows, checksum, filesAfter, bytesAfter)
                .with(CompactionState.VERIFIED, pending.record().location(), pending.record().target(), null, null, clock.instant()));
    }

    /** VERIFIED → SWAPPED: the catalog points the partition at the target, which becomes its location. */
    public Entry swapped(Entry verified) {
        expect(verified, CompactionState.VERIFIED);
        CompactionRecord r = verified.record();
        return transition(verified, r.with(CompactionState.SWAPPED, r.target(), null, r.location(), clock.instant(), clock.instant()));
    }

    /** SWAPPED → DONE; the partition's failures are forgotten. */
    public Entry done(Entry swapped) {
        expect(swapped, CompactionState.SWAPPED);
        CompactionRecord r = swapped.record();
        return transition(swapped, r.with(CompactionState.DONE, r.location(), null, r.retired(), r.retiredAt(), clock.instant())
                .withFailures(0));
    }

    /** DONE, with the retired folder's files deleted. */
    public Entry retire(Entry done) {
        expect(done, CompactionState.DONE);
        CompactionRecord r = done.record();
        return transition(done, r.with(CompactionState.DONE, r.location(), null, null, null, clock.instant()));
    }

    /** PENDING → ABORTED: the target folder's files were deleted; the table never read them. One more failure in a row. */
    public Entry abort(Entry pending) {
        expect(pending, CompactionState.PENDING);
        CompactionRecord r = pending.record();
        return transition(pending, r.with(CompactionState.ABORTED, r.location(), null, r.retired(), r.retiredAt(), clock.instant())
                .withFailures(r.failures() + 1));
    }

    // ------------------------------------------------------------------ the one compare-and-swap

    private Entry transition(Entry from, CompactionRecord to) {
        if (store.putIfMatch(from.key(), encode(to), from.etag()) != WriteOutcome.WRITTEN) {
            throw new LeaseLostException("compaction record " + from.key() + " changed under run " + to.compactionRun()
                    + " (it was " + from.state() + ", this run wrote " + to.state() + ")");
        }
        return new Entry(from.key(), to, etagOf(from.key()));
    }

    private static void expect(Entry entry, CompactionState state) {
        checkArgument(entry.state() == state, "compaction record %s is %s, not %s", entry.key(), entry.state(), state);
    }

    private static byte[] encode(CompactionRecord record) {
        return JournalJson.write(record);
    }

    private static CompactionRecord decode(String key, byte[] content) {
        return JournalJson.read("compaction record", key, content, CompactionRecord.class);
    }

    private String etagOf(String key) {
        return store.get(key).map(StoredObject::etag)
                .orElseThrow(() -> new ObjectStoreException("compaction record " + key + " vanished right after it was written"));
    }
}
