package dev.soi.batch.latest;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.JournalJson;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.LeaseLostException;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.StoredObject;
import dev.soi.core.write.OwnWrites;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one owner of the record of a full rebuild of the latest table under way ({@link StorageLayout#LATEST_BUILD_KEY}):
 * the version it builds, its units and which of them are done. A full rebuild reads all of PIT, which after a few years
 * no longer fits in one Lambda invocation, so it is built one unit at a time into its version folder, each done unit
 * recorded, and published once, when every unit is done; the next invocation that reaches the rebuild carries on where the
 * last stopped. Every change is one method and one compare-and-swap, stamped with a write token ({@link OwnWrites}); only a
 * run holding the lease changes it, so a lost race means the lease was lost, and a write whose answer was lost is
 * recognised on re-read as this run's.
 */
public final class LatestBuild {
    /**
     * The record as stored.
     *
     * @param version      the version folder the build writes (the run id that started it)
     * @param units        every unit the version will hold, sorted
     * @param done         units whose folder is complete, sorted
     * @param asOfRun      the last run that built units: runs that committed after it may have changed built units
     * @param startedAt    when the build started
     * @param builtSeconds time spent building the done units, for the time left
     */
    public record State(String version, List<String> units, List<String> done, String asOfRun, Instant startedAt,
                        double builtSeconds) {
        public State {
            requireNonNull(version, "version");
            units = List.copyOf(new TreeSet<>(units));
            done = List.copyOf(new TreeSet<>(done == null ? List.of() : done));
            requireNonNull(asOfRun, "as-of run");
            requireNonNull(startedAt, "started at");
        }

        /** The units still to build, in order. */
        public List<BusinessUnit> remaining() {
            return units.stream().filter(u -> !done.contains(u)).map(BusinessUnit::of).toList();
        }

        /** {@code 3 of 20 units done, about 4 min left}. */
        public String progress() {
            return dev.soi.batch.run.Progress.doneOfTotal(done.size(), units.size(), "units",
                    Duration.ofMillis((long) (builtSeconds * 1000)));
        }
    }

    /** The record with the etag its next change must match. */
    public record Open(State state, String etag) {}

    private final ObjectStore store;
    private final OwnWrites writes;

    /** The record as run {@code writer} reads and changes it. */
    public LatestBuild(ObjectStore store, RunId writer) {
        this.store = requireNonNull(store, "store");
        this.writes = new OwnWrites(store, requireNonNull(writer, "writer").value());
    }

    /** The build under way, if any. */
    public Optional<Open> open() {
        return store.get(LatestLayout.LATEST_BUILD_KEY).map(LatestBuild::parse);
    }

    /** Reads what the record holds, for a reader with no lease (the terminal's progress lines). */
    public static Optional<State> read(ObjectStore store) {
        return store.get(LatestLayout.LATEST_BUILD_KEY).map(LatestBuild::parse).map(Open::state);
    }

    /** Starts a build of {@code units} into version {@code runId}. */
    public Open start(RunId runId, Collection<BusinessUnit> units, Instant now) {
        State state = new State(runId.value(), codes(units), List.of(), runId.value(), now, 0);
        return write(null, state);
    }

    /**
     * Carries the build on in run {@code runId}: the units in {@code changed} (runs committed rows of theirs since the
     * last run that built units) are no longer done, and must be built again.
     */
    public Open resume(Open open, RunId runId, Collection<BusinessUnit> changed) {
        Set<String> stale = new TreeSet<>(codes(changed));
        List<String> done = open.state().done().stream().filter(u -> !stale.contains(u)).toList();
        State s = open.state();
        return write(open, new State(s.version(), s.units(), done, runId.value(), s.startedAt(), s.builtSeconds()));
    }

    /** Records that {@code unit}'s folder is complete, after {@code took}. */
    public Open unitDone(Open open, BusinessUnit unit, Duration took) {
        State s = open.state();
        List<String> done = new ArrayList<>(s.done());
        done.add(unit.code());
        return write(open, new State(s.version(), s.units(), done, s.asOfRun(), s.startedAt(),
                s.builtSeconds() + took.toMillis() / 1000.0));
    }

    /** The build was published, or given up: the record goes. */
    public void finish() {
        store.delete(List.of(LatestLayout.LATEST_BUILD_KEY));
    }

    private Open write(Open previous, State state) {
        byte[] content = JournalJson.write(state);
        OwnWrites.Outcome outcome = previous == null ? writes.create(LatestLayout.LATEST_BUILD_KEY, content)
                : writes.replace(LatestLayout.LATEST_BUILD_KEY, content, previous.etag());
        if (outcome.ours()) {
            String etag = outcome.foundEtag().or(() -> writes.readOwn(LatestLayout.LATEST_BUILD_KEY, outcome.token())
                    .map(StoredObject::etag)).orElseThrow(() -> lost("right after this run wrote it"));
            return new Open(state, etag);
        }
        throw lost("(" + (outcome.found() == null ? "it is gone" : "it was written by "
                + OwnWrites.writerOf(outcome.found().content()).orElse("an older version")) + ")");
    }

    private static LeaseLostException lost(String detail) {
        return new LeaseLostException("the latest table's build record " + LatestLayout.LATEST_BUILD_KEY + " changed under this "
                + "run " + detail + ": another run holds the lease");
    }

    private static Open parse(StoredObject object) {
        return new Open(JournalJson.read("latest build record", object.key(), object.content(), State.class), object.etag());
    }

    private static List<String> codes(Collection<BusinessUnit> units) {
        return units.stream().map(BusinessUnit::code).toList();
    }
}
