package dev.soi.batch.compaction;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.JournalJson;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.IndexLayout;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.LeaseLostException;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.StoredObject;
import dev.soi.core.write.OwnWrites;
import java.time.Clock;
import java.util.Optional;

/**
 * The compaction records {@code _compactions/business_unit=U/request_date=D.json}: the one owner of the compaction
 * protocol of {@code docs/commit-protocol.md}, written as {@link dev.soi.batch.journal.ManifestJournal} is. Each state change is one
 * method, and all of them go through one compare-and-swap ({@link #transition}), each write with a write token
 * ({@link OwnWrites}) so that one whose answer was lost is recognised as this run's; a lost race means another run
 * moved the record behind this run's expired lease and is a {@link LeaseLostException}.
 *
 * <pre>
 *   (none|DONE|ABORTED) ──open──▶ PENDING ──verified──▶ VERIFIED ──swapped──▶ SWAPPED ──done──▶ DONE ──retire──▶ DONE
 *                                    └──────abort──▶ ABORTED (target kept) ──cleared──▶ ABORTED
 *   abort counts one more failure in a row; DONE clears them.
 * </pre>
 *
 * An undo is fenced first: {@link #abort} keeps the target folder in the record, its files are deleted only once that
 * write is this run's, and {@link #cleared} says they are gone; a clean-up cut short is finished by the next run.
 *
 * Reads are not cached: runs, rebuilds and compactions all read the record a partition's writer trusts. Thread-safe.
 */
public final class CompactionJournal {
    private final ObjectStore store;
    private final Clock clock;
    private final OwnWrites writes;

    /** A record as last read or written, with the etag the next change must match (null: no record yet). */
    public record Entry(String key, CompactionRecord record, String etag) {
        public CompactionState state() {
            return record.state();
        }
    }

    /** A journal whose writes carry run {@code writer}'s id in their tokens. */
    public CompactionJournal(ObjectStore store, Clock clock, String writer) {
        this.store = requireNonNull(store, "object store");
        this.clock = requireNonNull(clock, "clock");
        this.writes = new OwnWrites(store, writer);
    }

    /** A journal for reading; a write through it would name no run. */
    public CompactionJournal(ObjectStore store, Clock clock) {
        this(store, clock, "reader");
    }

    /** The record of {@code partition}, if it was ever compacted; a damaged one is an {@link IllegalStateException}. */
    public Optional<Entry> read(PitPartition partition) {
        String key = IndexLayout.compactionKey(partition);
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
        String key = IndexLayout.compactionKey(partition);
        if (previous.isEmpty()) {
            OwnWrites.Outcome created = writes.create(key, encode(pending));
            if (!created.ours()) {
                throw new LeaseLostException("compaction record " + key + " appeared under run " + run);
            }
            return new Entry(key, pending, etagOf(key, created));
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

    /**
     * PENDING → ABORTED, the target folder kept in the record: from now on nothing reads it, and its files may go. One
     * more failure in a row.
     */
    public Entry abort(Entry pending) {
        expect(pending, CompactionState.PENDING);
        CompactionRecord r = pending.record();
        return transition(pending, r.with(CompactionState.ABORTED, r.location(), r.target(), r.retired(), r.retiredAt(), clock.instant())
                .withFailures(r.failures() + 1));
    }

    /** ABORTED, with the target folder's files deleted. */
    public Entry cleared(Entry aborted) {
        expect(aborted, CompactionState.ABORTED);
        CompactionRecord r = aborted.record();
        return transition(aborted, r.with(CompactionState.ABORTED, r.location(), null, r.retired(), r.retiredAt(), clock.instant()));
    }

    // ------------------------------------------------------------------ the one compare-and-swap

    private Entry transition(Entry from, CompactionRecord to) {
        OwnWrites.Outcome outcome = writes.replace(from.key(), encode(to), from.etag());
        if (!outcome.ours()) {
            throw new LeaseLostException("compaction record " + from.key() + " changed under run " + to.compactionRun()
                    + " (it was " + from.state() + ", this run wrote " + to.state() + ")");
        }
        return new Entry(from.key(), to, etagOf(from.key(), outcome));
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

    /** The etag of our write: as read back when it was, else read now, and only if the object is still ours. */
    private String etagOf(String key, OwnWrites.Outcome ours) {
        return ours.foundEtag().orElseGet(() -> writes.readOwn(key, ours.token()).map(StoredObject::etag)
                .orElseThrow(() -> new LeaseLostException("compaction record " + key + " changed right after this run wrote it")));
    }
}
