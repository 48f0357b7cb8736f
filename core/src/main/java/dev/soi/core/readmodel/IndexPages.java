package dev.soi.core.readmodel;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.StorageLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A unit's listing cut into pages of {@link #PACKAGES} packages, ranked by name: how the batch writes it and how a
 * reader finds a request's packages in it. Pages are positional, so a request for page {@code p} of {@code size}
 * packages knows which objects to read without a directory: one when {@code size} divides {@link #PACKAGES} (the default
 * 100 does), two at most.
 */
public final class IndexPages {
    public static final int PACKAGES = StorageLayout.READ_MODEL_INDEX_PAGE_PACKAGES;

    private IndexPages() {}

    /** The pages of a unit whose packages are {@code sorted} (by name, each once): all full but the last, none if empty. */
    public static List<IndexPage> of(BusinessUnit unit, List<IndexEntry> sorted) {
        requireNonNull(sorted, "entries");
        List<IndexPage> pages = new ArrayList<>();
        for (int from = 0; from < sorted.size(); from += PACKAGES) {
            int to = Math.min(sorted.size(), from + PACKAGES);
            pages.add(new IndexPage(unit, from / PACKAGES, sorted.subList(from, to), to == sorted.size()));
        }
        return pages;
    }

    /**
     * What a request for page {@code page} of {@code size} packages reads: the packages ranked {@code [first, end)} lie in
     * pages {@code firstPage..lastPage}.
     */
    public record Window(long first, long end, long firstPage, long lastPage) {
        public int pages() {
            return (int) (lastPage - firstPage + 1);
        }
    }

    public static Window window(int page, int size) {
        checkArgument(page >= 0, "page must be >= 0: %d", page);
        checkArgument(size >= 1 && size <= PACKAGES, "size must be 1-%d: %d", PACKAGES, size);
        long first = (long) page * size;
        long end = first + size;
        return new Window(first, end, first / PACKAGES, (end - 1) / PACKAGES);
    }

    /** The packages of a request and whether more follow. */
    public record Slice(List<IndexEntry> entries, boolean hasNext) {
        public Slice {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Of one stored page, what a request reads: how many packages it holds, whether it is the unit's last, and its
     * packages within the request's window ({@link #from}, {@link #to}), in order.
     */
    public record Part(BusinessUnit unit, int number, int size, boolean last, List<IndexEntry> entries) {
        public Part {
            requireNonNull(unit, "business unit");
            entries = List.copyOf(requireNonNull(entries, "entries"));
        }

        static Part of(IndexPage page, Window window) {
            int size = page.entries().size();
            int from = Math.min(size, from(window, page.number()));
            return new Part(page.unit(), page.number(), size, page.last(), page.entries().subList(from, Math.max(from, Math.min(size, to(window, page.number())))));
        }
    }

    /** The first position in page {@code number} that the window holds (0 when it starts before the page). */
    public static int from(Window window, long number) {
        return (int) Math.max(0, window.first() - number * PACKAGES);
    }

    /** The position in page {@code number} after the window's last (past the page's end when it ends after it). */
    public static int to(Window window, long number) {
        return (int) Math.min(PACKAGES, Math.max(0, window.end() - number * PACKAGES));
    }

    /**
     * The request's packages from the pages of its window that exist, in page order ({@code read.get(i)} is page
     * {@code firstPage + i}; a missing page ends the list). Whether more follow: the package ranked {@code end} is in a
     * page read, or the last page read is full and not the unit's last.
     */
    public static Slice slice(Window window, List<IndexPage> read) {
        return sliceOfParts(window, read.stream().map(page -> Part.of(page, window)).toList());
    }

    /** As {@link #slice}, from the parts of the pages read ({@link ReadModelCodec#decodePagePart}). */
    public static Slice sliceOfParts(Window window, List<Part> read) {
        List<IndexEntry> entries = new ArrayList<>();
        boolean hasNext = false;
        for (Part part : read) {
            entries.addAll(part.entries());
            hasNext |= (long) part.number() * PACKAGES + part.size() > window.end();
        }
        if (!read.isEmpty() && !hasNext) {
            Part lastRead = read.get(read.size() - 1);
            hasNext = !lastRead.last() && (long) (lastRead.number() + 1) * PACKAGES == window.end();
        }
        return new Slice(entries, hasNext);
    }
}
