package dev.soi.core.readmodel;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.StoredObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The read model's objects in the data store, by what they are rather than by key: the batch writes them, the API reads
 * them, both through here, so both use the same keys ({@link StorageLayout}) and the same JSON ({@link ReadModelCodec}).
 * Every read is one GET. A damaged object is an {@link UnreadableReadModelException} naming its key; a store failure is
 * the store's {@code ObjectStoreException}. Thread-safe.
 */
public final class ReadModelObjects {
    /** The highest page number a key can name (seven digits): ten billion packages in a unit. */
    private static final long MAX_PAGE = 9_999_999;
    private final ObjectStore store;
    private final ReadModelCodec codec = new ReadModelCodec();

    public ReadModelObjects(ObjectStore store) {
        this.store = requireNonNull(store, "object store");
    }

    public ReadModelCodec codec() {
        return codec;
    }

    public Optional<PackageDocument> packageOf(BusinessUnit unit, PackageName name) {
        String key = StorageLayout.readModelPackageKey(unit, name);
        return store.get(key).map(o -> {
            PackageDocument document = codec.decodePackage(key, o.content());
            if (!document.unit().equals(unit) || !document.name().equals(name)) {
                throw new UnreadableReadModelException(key, "it holds package " + document.name() + " of " + document.unit(), null);
            }
            return document;
        });
    }

    public void put(PackageDocument document) {
        write(StorageLayout.readModelPackageKey(document.unit(), document.name()), codec.encode(document));
    }

    public void deletePackages(BusinessUnit unit, Collection<PackageName> names) {
        store.delete(names.stream().map(n -> StorageLayout.readModelPackageKey(unit, n)).toList());
    }

    /** Every package of {@code unit} with an object (a version or a deletion), from one listing. */
    public List<PackageName> packageNames(BusinessUnit unit) {
        List<PackageName> names = new ArrayList<>();
        for (ObjectSummary object : store.list(StorageLayout.readModelPackagesPrefix(unit))) {
            StorageLayout.readModelPackageOf(unit, object.key()).ifPresent(names::add);
        }
        return names;
    }

    /**
     * The packages of page {@code page} of {@code size} packages in the unit's listing, and whether more follow: one GET
     * when {@code size} divides {@link IndexPages#PACKAGES}, two at most; none for a page beyond any unit's size.
     */
    public IndexPages.Slice listing(BusinessUnit unit, int page, int size) {
        IndexPages.Window window = IndexPages.window(page, size);
        List<IndexPages.Part> read = new ArrayList<>();
        for (long number = window.firstPage(); number <= window.lastPage() && number <= MAX_PAGE; number++) {
            int n = (int) number;
            String key = StorageLayout.readModelIndexPageKey(unit, n);
            Optional<IndexPages.Part> found = store.get(key)
                    .map(o -> checked(unit, n, key, codec.decodePagePart(key, o.content(), IndexPages.from(window, n), IndexPages.to(window, n))));
            if (found.isEmpty()) {
                break;
            }
            read.add(found.get());
            if (found.get().last()) {
                break;
            }
        }
        return IndexPages.sliceOfParts(window, read);
    }

    /** A stored page's number and bytes, as listed: not decoded, so a damaged page can still be replaced. */
    public record StoredPage(BusinessUnit unit, int number, String key, byte[] content) {
        public IndexPage decode(ReadModelCodec codec) {
            return checked(unit, number, key, codec.decodePage(key, content));
        }
    }

    /** Every page of {@code unit}'s listing that exists, in page order (a listing, then one GET each). */
    public List<StoredPage> pages(BusinessUnit unit) {
        List<StoredPage> pages = new ArrayList<>();
        for (ObjectSummary object : store.list(StorageLayout.readModelIndexPrefix(unit))) {
            int number = StorageLayout.readModelIndexPageOf(unit, object.key());
            if (number >= 0) {
                store.get(object.key()).ifPresent(o -> pages.add(new StoredPage(unit, number, o.key(), o.content())));
            }
        }
        return pages;
    }

    public void put(IndexPage page, byte[] content) {
        write(StorageLayout.readModelIndexPageKey(page.unit(), page.number()), content);
    }

    public void deletePage(BusinessUnit unit, int number) {
        store.delete(List.of(StorageLayout.readModelIndexPageKey(unit, number)));
    }

    public Optional<SubmissionStatusDocument> statusOf(BusinessUnit unit, SubmissionId id) {
        String key = StorageLayout.readModelStatusKey(unit, id);
        return store.get(key).map(o -> codec.decodeStatus(key, o.content()));
    }

    public void put(SubmissionStatusDocument status) {
        write(StorageLayout.readModelStatusKey(status.unit(), status.submissionId()), codec.encode(status));
    }

    public Optional<PublishedMarker> marker() {
        Optional<StoredObject> object = store.get(StorageLayout.READ_MODEL_PUBLISHED_KEY);
        return object.map(o -> codec.decodeMarker(StorageLayout.READ_MODEL_PUBLISHED_KEY, o.content()));
    }

    public void put(PublishedMarker marker) {
        write(StorageLayout.READ_MODEL_PUBLISHED_KEY, codec.encode(marker));
    }

    /**
     * An unconditional write whose failed call may still have landed (the answer was lost): read back, the same bytes mean
     * it is done; anything else rethrows. Only one publisher writes at a time (it holds the run lease), so the bytes are ours.
     */
    private void write(String key, byte[] content) {
        try {
            store.put(key, content);
        } catch (ObjectStoreException failed) {
            Optional<StoredObject> found;
            try {
                found = store.get(key);
            } catch (ObjectStoreException unreadable) {
                failed.addSuppressed(unreadable);
                throw failed;
            }
            if (found.isEmpty() || !Arrays.equals(found.get().content(), content)) {
                throw failed;
            }
        }
    }

    private static IndexPage checked(BusinessUnit unit, int number, String key, IndexPage page) {
        checked(unit, number, key, page.unit(), page.number());
        return page;
    }

    private static IndexPages.Part checked(BusinessUnit unit, int number, String key, IndexPages.Part part) {
        checked(unit, number, key, part.unit(), part.number());
        return part;
    }

    private static void checked(BusinessUnit unit, int number, String key, BusinessUnit holds, int holdsNumber) {
        if (!holds.equals(unit) || holdsNumber != number) {
            throw new UnreadableReadModelException(key, "it holds page " + holdsNumber + " of " + holds, null);
        }
    }
}
