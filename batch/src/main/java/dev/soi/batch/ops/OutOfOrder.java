package dev.soi.batch.ops;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.JournalJson;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.write.OwnWrites;
import java.time.Instant;
import java.util.Optional;

/**
 * Submissions a run applied although they were stamped older than a version of their package another run had already
 * committed: their stamp disagrees with their arrival. The latest table orders by stamp, as the README promises, so it
 * keeps the newer version and these only join the history; the stamp was wrong because the API's clock was behind when it
 * accepted them (a clock stepped back, or two API instances that disagree). Kept in {@link StorageLayout#OUT_OF_ORDER_KEY}
 * for {@code status}, counted in the run summary and in the {@code OutOfOrderSubmissions} metric.
 *
 * @param exampleSubmissionId the smallest such submission id, to look one up; null when there are none
 */
public record OutOfOrder(String runId, Instant detectedAt, long submissions, String exampleSubmissionId) {
    public OutOfOrder {
        requireNonNull(runId, "run id");
        requireNonNull(detectedAt, "detected at");
    }

    /** The newest detection recorded, if any; a damaged record is an {@link IllegalStateException} naming its key. */
    public static Optional<OutOfOrder> read(ObjectStore store) {
        return store.get(StorageLayout.OUT_OF_ORDER_KEY)
                .map(o -> JournalJson.read("out-of-order record", StorageLayout.OUT_OF_ORDER_KEY, o.content(), OutOfOrder.class));
    }

    void record(ObjectStore store) {
        new OwnWrites(store, runId).put(StorageLayout.OUT_OF_ORDER_KEY, JournalJson.write(this));
    }

    /** The sentence the run summary adds; empty when there are none. */
    String sentence() {
        if (submissions == 0) {
            return "";
        }
        return " " + submissions + (submissions == 1 ? " of them was" : " of them were") + " stamped older than the version "
                + "already applied for its package (e.g. submission " + exampleSubmissionId + "): an API clock was behind when it "
                + "accepted them. They are in PIT; the latest table keeps the newer version (see status).";
    }

    /** The line {@code status} shows for a day after the detection. */
    String warning(long ageSeconds) {
        return "run " + runId + " (" + ageSeconds + " s ago) applied " + submissions + " submission" + (submissions == 1 ? "" : "s")
                + " stamped older than the version already applied for its package (e.g. submission " + exampleSubmissionId
                + "): the clock of the API that accepted them was behind (a clock stepped back, or API instances that disagree). "
                + "They are in PIT; the latest table keeps the newer version, since it orders by stamp, not arrival. Repair: set "
                + "the API hosts' clocks right (NTP); a client whose version should win submits it again";
    }
}
