package dev.soi.batch.compaction;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.run.Folders;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectSummary;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every step that touches a PIT partition's folder needs of the compaction protocol: the folder the table
 * reads now, and the finishing (or undoing) of a compaction a crash left under way. A writer asks here before it
 * writes a partition, so late data lands where the table reads, and the partition is marked due for compaction
 * ({@link CompactionIndex}); a VERIFIED record may mean the catalog already points at the new folder, so it is carried
 * forward (the swap is idempotent), never undone. A partition whose compaction was undone {@value #SET_ASIDE_AFTER}
 * times in a row is set aside. Stateless.
 */
public final class Compactions {
    private static final Logger log = LoggerFactory.getLogger(Compactions.class);

    /** Undone compactions in a row after which the scheduled runs leave a partition to {@code compact}. */
    static final int SET_ASIDE_AFTER = 2;

    private final BatchPorts ports;
    private final CompactionJournal journal;
    private final CompactionIndex index;

    /** @param writer the run acting on the records: its id goes into their write tokens */
    public Compactions(BatchPorts ports, String writer) {
        this.ports = requireNonNull(ports, "ports");
        this.journal = new CompactionJournal(ports.store(), ports.clock(), writer);
        this.index = new CompactionIndex(ports.store(), writer);
    }

    CompactionJournal journal() {
        return journal;
    }

    CompactionIndex index() {
        return index;
    }

    /**
     * The folder {@code partition}'s new files go to, after finishing any compaction of it left under way; the partition
     * is marked due for compaction first, so a crash after the write never leaves it unmarked.
     */
    public String folderForWrite(PitPartition partition) {
        String folder = CompactionJournal.locationOf(partition, settle(partition, journal.read(partition)));
        index.markDue(partition);
        return folder;
    }

    /**
     * Every partition holding a file in the store, with the folder to register it at, from one listing of the PIT folder:
     * a partition with files in one folder only is read from it; one with files in more (a compaction under way, or an
     * old folder still kept) is asked of its record. So registering a year of partitions reads a few records, not one
     * per partition. The listing also builds the compaction index, if it was not built yet.
     */
    public SortedMap<PitPartition, String> partitionsInStore() {
        Map<PitPartition, TreeMap<String, List<ObjectSummary>>> folders = CompactionIndex.folders(ports.store());
        if (!index.active().built()) {
            index.build(folders);
        }
        SortedMap<PitPartition, String> locations = new TreeMap<>();
        folders.forEach((partition, found) -> locations.put(partition, found.size() == 1 ? found.firstKey() : folderOf(partition)));
        return locations;
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
            return Optional.of(undone(partition, clear(partition, found.get()))); // an undo cut short after its fence
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
                entry = undone(partition, clear(partition, journal.abort(entry)));
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

    /** After an undo's clean-up: the partition is no longer active, and set aside if it failed too often in a row. */
    private CompactionJournal.Entry undone(PitPartition partition, CompactionJournal.Entry cleared) {
        index.clearActive(partition);
        String compaction = cleared.record().compactionRun();
        if (cleared.record().failures() >= SET_ASIDE_AFTER) {
            index.setAside(partition);
            log.warn("compaction {} of {} undone, {} times in a row now: the partition is set aside; the scheduled runs "
                    + "leave it, and compact retries it (see its log for why it fails)", compaction, partition.path(),
                    cleared.record().failures());
        } else {
            log.info("compaction {} of {} undone: it had not been verified", compaction, partition.path());
        }
        return cleared;
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
        index.clearActive(partition);
        return true;
    }
}
