package dev.soi.batch.compaction;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.run.Folders;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every step that touches a PIT partition's folder needs of the compaction protocol: the folder the table
 * reads now, and the finishing (or undoing) of a compaction a crash left under way. A writer asks here before it
 * writes a partition, so late data lands where the table reads; a VERIFIED record may mean the catalog already
 * points at the new folder, so it is carried forward (the swap is idempotent), never undone. Stateless.
 */
public final class Compactions {
    private static final Logger log = LoggerFactory.getLogger(Compactions.class);

    private final BatchPorts ports;
    private final CompactionJournal journal;

    /** @param writer the run acting on the records: its id goes into their write tokens */
    public Compactions(BatchPorts ports, String writer) {
        this.ports = requireNonNull(ports, "ports");
        this.journal = new CompactionJournal(ports.store(), ports.clock(), writer);
    }

    CompactionJournal journal() {
        return journal;
    }

    /** The folder {@code partition}'s new files go to, after finishing any compaction of it left under way. */
    public String folderForWrite(PitPartition partition) {
        return CompactionJournal.locationOf(partition, settle(partition, journal.read(partition)));
    }

    /** The folder the table reads {@code partition} from, as its record says (no compaction is finished here). */
    public String folderOf(PitPartition partition) {
        return CompactionJournal.locationOf(partition, journal.read(partition));
    }

    /** Every folder a run's files of {@code partition} may lie in: the original one and the current one. */
    public List<String> foldersOf(PitPartition partition) {
        String original = StorageLayout.partitionPrefix(partition);
        String current = folderOf(partition);
        return current.equals(original) ? List.of(original) : List.of(original, current);
    }

    /**
     * Finishes an in-flight compaction: PENDING is undone (ABORTED first, then the folder the table never read is
     * deleted), VERIFIED and SWAPPED are carried to DONE; an undo cut short after its ABORTED is finished. Returns the
     * record as it then stands.
     */
    Optional<CompactionJournal.Entry> settle(PitPartition partition, Optional<CompactionJournal.Entry> found) {
        if (found.isPresent() && found.get().state() == CompactionState.ABORTED && found.get().record().target() != null) {
            return Optional.of(clear(partition, found.get())); // an undo cut short after its fence
        }
        if (found.isEmpty() || !found.get().state().inFlight()) {
            return found;
        }
        CompactionJournal.Entry entry = found.get();
        RunId compaction = new RunId(entry.record().compactionRun());
        ports.engine().execute(ports.statements().dropStaging(StorageLayout.compactionTable(compaction)));
        switch (entry.state()) {
            case PENDING -> {
                // Fence first: once the record is ABORTED by this run, no run reads or finishes the target folder.
                entry = clear(partition, journal.abort(entry));
                log.info("compaction {} of {} undone: it had not been verified", compaction, partition.path());
            }
            case VERIFIED -> {
                ports.engine().execute(ports.statements().setPartitionLocation(partition, entry.record().target()));
                entry = journal.done(journal.swapped(entry));
                log.info("compaction {} of {} finished: it was verified", compaction, partition.path());
            }
            case SWAPPED -> {
                ports.engine().execute(ports.statements().setPartitionLocation(partition, entry.record().location()));
                entry = journal.done(entry);
            }
            default -> throw new IllegalStateException("not in flight: " + entry.state());
        }
        return Optional.of(entry);
    }

    /** Deletes the target folder of an ABORTED record, then says so in the record. */
    private CompactionJournal.Entry clear(PitPartition partition, CompactionJournal.Entry aborted) {
        Folders.delete(ports.store(), aborted.record().target());
        return journal.cleared(aborted);
    }

    /** Deletes the retired folder of a DONE record once the grace period passed; returns whether it did. */
    boolean retireIfDue(PitPartition partition, Optional<CompactionJournal.Entry> found) {
        if (found.isEmpty() || found.get().state() != CompactionState.DONE || found.get().record().retired() == null) {
            return false;
        }
        CompactionJournal.Entry entry = found.get();
        if (entry.record().retiredAt().plus(ports.properties().compaction().oldFilesGrace()).isAfter(ports.clock().instant())) {
            return false;
        }
        ports.faults().at(FaultPoint.BEFORE_OLD_FILES_DELETE);
        Folders.delete(ports.store(), entry.record().retired());
        journal.retire(entry);
        return true;
    }
}
