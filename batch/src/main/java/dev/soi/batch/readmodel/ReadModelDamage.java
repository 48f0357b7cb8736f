package dev.soi.batch.readmodel;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.readmodel.IndexEntry;
import dev.soi.core.readmodel.IndexPage;
import dev.soi.core.readmodel.ReadModelObjects;
import dev.soi.core.readmodel.UnreadableReadModelException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the read model the API answers from is still what the batch published: each unit's listing pages are read
 * (they must be whole and numbered without a gap up to the last one), and every listed package's object is listed against
 * the size its listing line recorded when it was published ({@link IndexEntry#objectBytes()}). Per unit that is one listing
 * of its pages, one GET per page of 1,000 packages and one listing of its package objects; no package object is read. Not
 * covered: submissions' statuses and the deletions kept for packages no longer listed (their sizes are recorded nowhere),
 * and lines written before sizes were recorded.
 *
 * @param differences each object missing, changed in size, or unreadable
 */
public record ReadModelDamage(List<String> differences) {
    /** How many differences a line names before it only counts the rest. */
    private static final int NAMED = 3;

    public ReadModelDamage {
        differences = List.copyOf(requireNonNull(differences, "differences"));
    }

    /**
     * The damage to the read model of {@code units}, when its marker says it holds all of {@code version} (the version
     * readers read); none is looked for otherwise, since the next publication is then a full one anyway. A marker that
     * cannot be read is damage too.
     */
    public static Optional<ReadModelDamage> ofVersion(ObjectStore store, Collection<BusinessUnit> units, String version) {
        boolean holds;
        try {
            holds = new ReadModelObjects(store).marker().map(m -> m.holds(version)).orElse(false);
        } catch (UnreadableReadModelException e) {
            return Optional.of(new ReadModelDamage(List.of(StorageLayout.READ_MODEL_PUBLISHED_KEY + " cannot be read")));
        }
        return holds ? of(store, units) : Optional.empty();
    }

    /** The damage to the listings and package objects of {@code units}, if any, unit by unit in code order. */
    public static Optional<ReadModelDamage> of(ObjectStore store, Collection<BusinessUnit> units) {
        ReadModelObjects objects = new ReadModelObjects(store);
        List<String> differences = new ArrayList<>();
        for (BusinessUnit unit : units.stream().sorted(Comparator.comparing(BusinessUnit::code)).toList()) {
            differences.addAll(differences(store, objects, unit));
        }
        return differences.isEmpty() ? Optional.empty() : Optional.of(new ReadModelDamage(differences));
    }

    private static List<String> differences(ObjectStore store, ReadModelObjects objects, BusinessUnit unit) {
        List<ReadModelObjects.StoredPage> pages = objects.pages(unit);
        if (pages.isEmpty()) {
            return List.of();
        }
        Map<String, Long> sizes = new HashMap<>();
        for (ObjectSummary object : store.list(StorageLayout.readModelPackagesPrefix(unit))) {
            sizes.put(object.key(), object.size());
        }
        List<String> differences = new ArrayList<>();
        for (int number = 0; number < pages.size(); number++) {
            ReadModelObjects.StoredPage stored = pages.get(number);
            if (stored.number() != number) {
                differences.add(StorageLayout.readModelIndexPageKey(unit, number) + " is missing");
                return differences;
            }
            IndexPage page;
            try {
                page = stored.decode(objects.codec());
            } catch (UnreadableReadModelException e) {
                differences.add(stored.key() + " cannot be read");
                continue;
            }
            boolean lastStored = number == pages.size() - 1;
            if (page.last() != lastStored) {
                differences.add(stored.key() + (page.last() ? " is the last page, yet more pages follow it"
                        : " is not the last page, yet no page follows it"));
            }
            for (IndexEntry entry : page.entries()) {
                String key = StorageLayout.readModelPackageKey(unit, entry.name());
                Long size = sizes.get(key);
                if (entry.objectBytes() == 0) {
                    continue; // listed before sizes were recorded
                }
                if (size == null) {
                    differences.add(key + " is missing");
                } else if (size != entry.objectBytes()) {
                    differences.add(key + " is " + size + " bytes, " + entry.objectBytes() + " were published");
                }
            }
        }
        return differences;
    }

    /** What is wrong, in one line: the first few objects and how many more. */
    public String what() {
        String named = String.join("; ", differences.subList(0, Math.min(NAMED, differences.size())));
        return "the read model (" + StorageLayout.READ_MODEL_PREFIX + ") is not what the batch published: " + named
                + (differences.size() > NAMED ? "; and " + (differences.size() - NAMED) + " more" : "");
    }

    /** The status line: what is wrong, what readers see meanwhile, and the repair. */
    public String warning() {
        return what() + ". GETs that read these objects answer 503 until the read model is republished. Repair: the next run "
                + "republishes it in full (./soi run; Lambda {\"command\":\"run\"}); so does ./soi rebuild-latest --full";
    }
}
