package dev.soi.api.fakes;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.readmodel.IndexEntry;
import dev.soi.core.readmodel.IndexPage;
import dev.soi.core.readmodel.IndexPages;
import dev.soi.core.readmodel.PackageDocument;
import dev.soi.core.readmodel.PublishedMarker;
import dev.soi.core.readmodel.ReadModelObjects;
import dev.soi.core.readmodel.SubmissionStatusDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts read-model objects in the API's store as the batch publishes them (keys and JSON from core's
 * {@link ReadModelObjects}): packages, each unit's listing pages, statuses and the published marker. The batch's own
 * publication, and its agreement with the latest table, is tested in the batch module.
 */
public final class ReadModelSeed {
    private final ReadModelObjects objects;
    private final Map<BusinessUnit, TreeMap<PackageName, IndexEntry>> listings = new TreeMap<>();

    public ReadModelSeed(ObjectStore store) {
        this.objects = new ReadModelObjects(store);
    }

    public ReadModelSeed published() {
        objects.put(new PublishedMarker("20261122t100000z-00000001", "20261122t100000z-00000001", true, Instant.parse("2026-11-22T10:00:00Z")));
        return this;
    }

    /** A package's latest version, relisted in its unit. */
    public ReadModelSeed version(String unit, String name, Instant at, String submissionId, long... ids) {
        List<Long> sorted = new ArrayList<>();
        java.util.Arrays.stream(ids).sorted().forEach(sorted::add);
        PackageDocument document = PackageDocument.version(BusinessUnit.of(unit), PackageName.of(name), sorted, at,
                SubmissionId.parse(submissionId));
        objects.put(document);
        listings.computeIfAbsent(document.unit(), u -> new TreeMap<>()).put(document.name(), document.entry());
        relist(document.unit());
        return this;
    }

    /** A package whose latest version is a deletion: its object answers 404, and it leaves the listing. */
    public ReadModelSeed deletion(String unit, String name, Instant at, String submissionId) {
        PackageDocument document = PackageDocument.deletion(BusinessUnit.of(unit), PackageName.of(name), at, SubmissionId.parse(submissionId));
        objects.put(document);
        listings.computeIfAbsent(document.unit(), u -> new TreeMap<>()).remove(document.name());
        relist(document.unit());
        return this;
    }

    public ReadModelSeed applied(String unit, String submissionId, String supersededBy) {
        objects.put(new SubmissionStatusDocument(BusinessUnit.of(unit), SubmissionId.parse(submissionId),
                supersededBy == null ? null : SubmissionId.parse(supersededBy)));
        return this;
    }

    public void clear() {
        listings.clear();
    }

    private void relist(BusinessUnit unit) {
        List<IndexPage> pages = IndexPages.of(unit, new ArrayList<>(listings.get(unit).values()));
        for (IndexPage page : pages) {
            objects.put(page, objects.codec().encode(page));
        }
        objects.pages(unit).stream().filter(p -> p.number() >= pages.size()).forEach(p -> objects.deletePage(unit, p.number()));
    }
}
