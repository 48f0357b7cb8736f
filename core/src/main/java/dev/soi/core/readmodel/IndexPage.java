package dev.soi.core.readmodel;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.BusinessUnit;
import java.util.List;

/**
 * One page of a unit's listing: the packages ranked {@code number * }{@link IndexPages#PACKAGES} and on, by name.
 * Every page but the last is full; {@code last} says which one that is, so a reader knows whether more follow.
 */
public record IndexPage(BusinessUnit unit, int number, List<IndexEntry> entries, boolean last) {
    public IndexPage {
        requireNonNull(unit, "business unit");
        checkArgument(number >= 0, "page number must be >= 0: %d", number);
        entries = List.copyOf(requireNonNull(entries, "entries"));
        checkSize(unit, number, entries.size(), last);
        for (int i = 1; i < entries.size(); i++) {
            checkOrder(unit, number, entries.get(i - 1).name().value(), entries.get(i).name().value());
        }
    }

    /** A page holds 1 to {@link IndexPages#PACKAGES} packages, and every page but the last is full. */
    static void checkSize(BusinessUnit unit, int number, int size, boolean last) {
        checkArgument(size >= 1 && size <= IndexPages.PACKAGES, "page %d of %s holds %d packages, not 1-%d", number, unit, size,
                IndexPages.PACKAGES);
        checkArgument(last || size == IndexPages.PACKAGES, "page %d of %s holds %d packages and is not the last, so it must hold %d: "
                + "every page but the last must be full", number, unit, size, IndexPages.PACKAGES);
    }

    /** Packages follow one another by name, each once. */
    static void checkOrder(BusinessUnit unit, int number, String previous, String next) {
        checkArgument(previous.compareTo(next) < 0, "page %d of %s: packages must be sorted by name, each once", number, unit);
    }
}
