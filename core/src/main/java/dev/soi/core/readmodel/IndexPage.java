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
        checkArgument(!entries.isEmpty() && entries.size() <= IndexPages.PACKAGES, "page %d of %s holds %d packages, not 1-%d",
                number, unit, entries.size(), IndexPages.PACKAGES);
        checkArgument(last || entries.size() == IndexPages.PACKAGES, "page %d of %s is not the last, so it must be full", number, unit);
        for (int i = 1; i < entries.size(); i++) {
            checkArgument(entries.get(i - 1).name().compareTo(entries.get(i).name()) < 0,
                    "page %d of %s: packages must be sorted by name, each once", number, unit);
        }
    }
}
