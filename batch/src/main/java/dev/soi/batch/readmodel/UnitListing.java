package dev.soi.batch.readmodel;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.readmodel.IndexEntry;
import dev.soi.core.readmodel.IndexPage;
import dev.soi.core.readmodel.IndexPages;
import dev.soi.core.readmodel.ReadModelObjects;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Rewrites one unit's listing pages for a set of changed packages, writing only the pages whose bytes change.
 *
 * <p>A package added or removed shifts the packages after it across page boundaries, and pages are separate objects, so
 * the order of the writes matters: a package that moves from one page to its neighbour is written into its new page
 * before its old page is rewritten without it. A crash part-way then leaves a package on two pages at worst, never on
 * none; the next publication reads every page (a package seen twice is one entry) and writes the same pages again. Only
 * neighbouring pages exchange packages, and across one boundary they move one way only (names keep their order), so
 * this order always exists.
 */
final class UnitListing {
    private final ReadModelObjects objects;

    UnitListing(ReadModelObjects objects) {
        this.objects = requireNonNull(objects, "read-model objects");
    }

    /** Pages written and deleted. */
    record Writes(int written, int deleted) {}

    /**
     * Applies {@code changes} to the unit's listing as stored: a present entry lists or relists its package, an empty one
     * removes it. With {@code replaceAll}, the listing is {@code changes}' present entries alone (a full publication).
     */
    Writes apply(BusinessUnit unit, Map<PackageName, Optional<IndexEntry>> changes, boolean replaceAll, Runnable afterFirstWrite) {
        List<ReadModelObjects.StoredPage> stored = objects.pages(unit);
        TreeMap<PackageName, IndexEntry> entries = new TreeMap<>();
        if (!replaceAll) {
            stored.forEach(p -> p.decode(objects.codec()).entries().forEach(e -> entries.put(e.name(), e)));
        }
        changes.forEach((name, entry) -> entry.ifPresentOrElse(e -> entries.put(name, e), () -> entries.remove(name)));
        List<IndexPage> next = IndexPages.of(unit, new ArrayList<>(entries.values()));

        int slots = Math.max(next.size(), stored.stream().mapToInt(p -> p.number() + 1).max().orElse(0));
        PackageName[] firstBefore = new PackageName[slots];
        byte[][] bytesBefore = new byte[slots][];
        for (ReadModelObjects.StoredPage page : stored) {
            bytesBefore[page.number()] = page.content();
            firstBefore[page.number()] = replaceAll ? null : page.decode(objects.codec()).entries().get(0).name();
        }
        byte[][] bytesAfter = new byte[slots][];
        for (IndexPage page : next) {
            bytesAfter[page.number()] = objects.codec().encode(page);
        }
        int written = 0;
        int deleted = 0;
        // A full publication is replayed whole after a crash, so its order does not matter.
        for (int slot : replaceAll ? java.util.stream.IntStream.range(0, slots).boxed().toList() : order(firstBefore, next, slots)) {
            if (Arrays.equals(bytesBefore[slot], bytesAfter[slot])) {
                continue;
            }
            if (bytesAfter[slot] == null) {
                objects.deletePage(unit, slot);
                deleted++;
            } else {
                objects.put(next.get(slot), bytesAfter[slot]);
                written++;
            }
            if (written + deleted == 1) {
                afterFirstWrite.run();
            }
        }
        return new Writes(written, deleted);
    }

    /**
     * The page slots in an order where, at each boundary between slot {@code i} and {@code i + 1}, the page that receives
     * packages comes first: if slot {@code i + 1} now starts at an earlier name than it did, packages moved up into it,
     * so it goes before slot {@code i}; if later, they moved down, so slot {@code i} goes first.
     */
    private static List<Integer> order(PackageName[] firstBefore, List<IndexPage> after, int slots) {
        List<List<Integer>> successors = new ArrayList<>();
        int[] waiting = new int[slots];
        for (int i = 0; i < slots; i++) {
            successors.add(new ArrayList<>());
        }
        for (int i = 0; i + 1 < slots; i++) {
            PackageName was = firstBefore[i + 1];
            PackageName is = i + 1 < after.size() ? after.get(i + 1).entries().get(0).name() : null;
            int moved = was == null && is == null ? 0 : was == null ? -1 : is == null ? 1 : is.compareTo(was);
            if (moved < 0) {
                successors.get(i + 1).add(i);
                waiting[i]++;
            } else if (moved > 0) {
                successors.get(i).add(i + 1);
                waiting[i + 1]++;
            }
        }
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < slots; i++) {
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        List<Integer> order = new ArrayList<>(slots);
        while (!ready.isEmpty()) {
            int slot = ready.poll();
            order.add(slot);
            for (int next : successors.get(slot)) {
                if (--waiting[next] == 0) {
                    ready.add(next);
                }
            }
        }
        return order;
    }
}
