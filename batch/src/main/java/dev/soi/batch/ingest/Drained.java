package dev.soi.batch.ingest;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the drain took from the queue: submissions to apply (one per id, sorted by unit, date, id) and messages only to
 * delete (duplicates within the run, submissions an earlier run committed). {@code reachedEnd}: every receiver stopped
 * at the end of the queue, none on the budget, and no message was left for redelivery.
 */
public record Drained(List<Delivery> toApply, List<Delivery> toDelete, long received, long receivedBytes, long duplicates,
                      long alreadyCommitted, long deadLettered, List<String> unitsOutsideRegistry, boolean reachedEnd) {
    public static final Drained NONE = new Drained(List.of(), List.of(), 0, 0, 0, 0, 0, List.of(), false);

    public Drained {
        toApply = List.copyOf(toApply);
        toDelete = List.copyOf(toDelete);
        unitsOutsideRegistry = List.copyOf(unitsOutsideRegistry);
    }

    /** Business units of the submissions to apply. */
    public Set<String> units() {
        Set<String> units = new TreeSet<>();
        toApply.forEach(d -> units.add(d.submission().businessUnit().code()));
        return units;
    }
}
