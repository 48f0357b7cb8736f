package dev.soi.batch.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.QueryResult;
import dev.soi.core.readmodel.IndexEntry;
import dev.soi.core.readmodel.IndexPage;
import dev.soi.core.readmodel.IndexPages;
import dev.soi.core.readmodel.PackageDocument;
import dev.soi.core.readmodel.ReadModelObjects;
import dev.soi.core.readmodel.SubmissionStatusDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the read model must answer, against what the latest table answers now: every package's GET equals the package's
 * rows in the table (a package the table lacks answers "not found"), every unit's listing equals the table's packages by
 * name, page by page; and each submission's status against the submissions sent.
 */
public final class ReadModelCheck {
    private ReadModelCheck() {}

    /** The latest table's packages of {@code unit}, by name, read through the engine with {@code queries/latest_unit}. */
    public static TreeMap<PackageName, PackageDocument> latestTable(BatchFixture fixture, BusinessUnit unit) {
        QueryResult rows = fixture.queryUncounted(fixture.statements().latestUnit(unit));
        Map<PackageName, List<List<Object>>> byName = new TreeMap<>();
        rows.rows().forEach(r -> byName.computeIfAbsent(PackageName.of((String) r.get(0)), n -> new ArrayList<>()).add(r));
        TreeMap<PackageName, PackageDocument> packages = new TreeMap<>();
        byName.forEach((name, versionRows) -> {
            List<Long> ids = versionRows.stream().map(r -> (Long) r.get(1)).sorted().toList();
            Set<Object> versions = new java.util.HashSet<>();
            versionRows.forEach(r -> versions.add(List.of(instant(r.get(2)), r.get(3))));
            assertThat(versions).as("package %s of %s has one version in the latest table", name, unit).hasSize(1);
            packages.put(name, PackageDocument.version(unit, name, ids, instant(versionRows.get(0).get(2)),
                    SubmissionId.parse((String) versionRows.get(0).get(3))));
        });
        return packages;
    }

    /** Every package's object and every listing page of {@code units} (and of the units the table holds) agree with the table. */
    public static void assertAgreesWithLatestTable(BatchFixture fixture, Collection<String> units) {
        ReadModelObjects objects = new ReadModelObjects(fixture.store());
        assertThat(objects.marker()).as("the read model is published").hasValueSatisfying(m -> assertThat(m.complete()).isTrue());
        Set<String> all = new TreeSet<>(units);
        fixture.latestTable().forEach(r -> all.add(r.businessUnit()));
        for (String code : all) {
            BusinessUnit unit = BusinessUnit.of(code);
            TreeMap<PackageName, PackageDocument> table = latestTable(fixture, unit);
            table.forEach((name, version) -> assertThat(objects.packageOf(unit, name)).as("GET of package %s of %s", name, unit)
                    .contains(version));
            for (PackageName name : objects.packageNames(unit)) {
                if (!table.containsKey(name)) {
                    assertThat(objects.packageOf(unit, name)).as("package %s of %s is not in the latest table", name, unit)
                            .hasValueSatisfying(d -> assertThat(d.deleted()).isTrue());
                }
            }
            List<IndexEntry> entries = table.values().stream().map(PackageDocument::entry).toList();
            List<IndexPage> pages = objects.pages(unit).stream().map(p -> p.decode(objects.codec())).toList();
            assertThat(pages).as("listing pages of %s", unit).isEqualTo(IndexPages.of(unit, entries));
            for (int size : new int[] {1, 2, 3, IndexPages.PACKAGES}) {
                for (int page = 0; page <= entries.size() / size; page++) {
                    int from = page * size;
                    int to = Math.min(entries.size(), from + size);
                    assertThat(objects.listing(unit, page, size)).as("page %d of %d packages of %s", page, size, unit)
                            .isEqualTo(new IndexPages.Slice(entries.subList(from, to), to < entries.size()));
                }
            }
        }
    }

    /**
     * Each submission of {@code applied}: APPLIED, under its own unit; superseded exactly when the newest version of some
     * package it set (deletions count) is another submission's, and then by a submission newer than it that set one of them.
     */
    public static void assertStatuses(BatchFixture fixture, Collection<Submission> applied, Collection<Submission> sent) {
        ReadModelObjects objects = new ReadModelObjects(fixture.store());
        Comparator<Submission> newest = Comparator.comparing(Submission::acceptedAt).thenComparing(s -> s.id().toString());
        Map<List<String>, Submission> winners = new HashMap<>();
        for (Submission s : sent) {
            for (PackageChange change : s.changes()) {
                winners.merge(List.of(s.businessUnit().code(), change.packageName().value()), s, (a, b) -> newest.compare(a, b) >= 0 ? a : b);
            }
        }
        Map<String, Submission> byId = new HashMap<>();
        sent.forEach(s -> byId.put(s.id().toString(), s));
        for (Submission s : applied) {
            Optional<SubmissionStatusDocument> status = objects.statusOf(s.businessUnit(), s.id());
            assertThat(status).as("status of %s", s.id()).isPresent();
            List<Submission> laterWinners = s.changes().stream()
                    .map(c -> winners.get(List.of(s.businessUnit().code(), c.packageName().value())))
                    .filter(w -> !w.id().equals(s.id())).toList();
            SubmissionId by = status.get().supersededBy();
            assertThat(by != null).as("%s superseded (winners of its packages: %s)", s.id(), laterWinners).isEqualTo(!laterWinners.isEmpty());
            if (by != null) {
                Submission superseding = byId.get(by.toString());
                assertThat(superseding).as("%s superseded by a submission sent", s.id()).isNotNull();
                assertThat(newest.compare(superseding, s)).as("%s superseded by a newer one", s.id()).isPositive();
                assertThat(superseding.changes().stream().map(c -> c.packageName()).filter(n -> s.changes().stream()
                        .anyMatch(c -> c.packageName().equals(n))).toList()).as("%s shares a package with %s", by, s.id()).isNotEmpty();
            }
        }
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + value);
    }
}
