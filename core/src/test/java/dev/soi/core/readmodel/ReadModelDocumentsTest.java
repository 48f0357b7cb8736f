package dev.soi.core.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.testing.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadModelDocumentsTest {
    private static final BusinessUnit AE = BusinessUnit.of("AE");
    private static final Instant T = Instant.parse("2026-11-23T03:00:00.123Z");
    private static final SubmissionId S = SubmissionId.generate(T, new Random(1));
    private static final SubmissionId S2 = SubmissionId.generate(T, new Random(2));
    private final ReadModelCodec codec = new ReadModelCodec();

    @Test
    void aPackageIsWrittenAsTheGetAnswersItAndReadBack() {
        PackageDocument version = PackageDocument.version(AE, PackageName.of("job_1"), List.of(123L, 456L), T, S);

        assertThat(new String(codec.encode(version), StandardCharsets.UTF_8)).isEqualTo("{\"business_unit\":\"AE\",\"package_name\":"
                + "\"job_1\",\"reference_ids\":[123,456],\"event_timestamp\":\"2026-11-23T03:00:00.123Z\",\"submission_id\":\"" + S + "\"}");
        assertThat(codec.decodePackage("k", codec.encode(version))).isEqualTo(version);
        PackageDocument deletion = PackageDocument.deletion(AE, PackageName.of("job_1"), T, S2);
        assertThat(codec.decodePackage("k", codec.encode(deletion))).isEqualTo(deletion);
    }

    @Test
    void aListingEntryRecordsTheSizeOfItsPackagesObjectAndAnOlderPageWithoutItReadsAsUnrecorded() {
        PackageDocument version = PackageDocument.version(AE, PackageName.of("job_1"), List.of(123L, 456L), T, S);

        assertThat(version.entry().objectBytes()).isEqualTo(codec.encode(version).length).isEqualTo(171);
        String older = "{\"business_unit\":\"AE\",\"page\":0,\"last\":true,\"packages\":[{\"package_name\":\"a\","
                + "\"reference_ids_count\":2,\"event_timestamp\":\"2026-11-23T03:00:00.123Z\",\"submission_id\":\"" + S + "\"}]}";
        assertThat(codec.decodePage("k", older.getBytes(StandardCharsets.UTF_8)).entries())
                .containsExactly(new IndexEntry(PackageName.of("a"), 2, T, S, 0));
    }

    @Test
    void pagesStatusesAndTheMarkerRoundTrip() {
        IndexPage page = new IndexPage(AE, 0, List.of(new IndexEntry(PackageName.of("a"), 2, T, S, 118)), true);
        SubmissionStatusDocument superseded = new SubmissionStatusDocument(AE, S, S2);
        PublishedMarker marker = new PublishedMarker("20261123t030000z-00000001", "20261123t030000z-00000001", true, T);

        assertThat(codec.decodePage("k", codec.encode(page))).isEqualTo(page);
        assertThat(new String(codec.encode(superseded), StandardCharsets.UTF_8)).isEqualTo("{\"submission_id\":\"" + S
                + "\",\"business_unit\":\"AE\",\"status\":\"APPLIED\",\"superseded_by\":\"" + S2 + "\"}");
        assertThat(codec.decodeStatus("k", codec.encode(superseded))).isEqualTo(superseded);
        assertThat(codec.decodeStatus("k", codec.encode(new SubmissionStatusDocument(AE, S, null))).supersededBy()).isNull();
        assertThat(codec.decodeMarker("k", codec.encode(marker))).isEqualTo(marker);
    }

    @Test
    void aDamagedObjectIsRefusedNamingItsKeyAndTheRepair() {
        for (String damaged : List.of("", "{", "[]", "{\"business_unit\":\"AE\"}",
                "{\"business_unit\":\"AE\",\"package_name\":\"j\",\"reference_ids\":[\"x\"],\"event_timestamp\":\"2026-11-23T03:00:00Z\",\"submission_id\":\"" + S + "\"}",
                "{\"business_unit\":\"AE\",\"package_name\":\"j\",\"reference_ids\":[2,1],\"event_timestamp\":\"2026-11-23T03:00:00Z\",\"submission_id\":\"" + S + "\"}")) {
            assertThatThrownBy(() -> codec.decodePackage("_read_model/packages/AE/j.json", damaged.getBytes(StandardCharsets.UTF_8)))
                    .as(damaged).isInstanceOf(UnreadableReadModelException.class)
                    .hasMessageStartingWith("the read-model object _read_model/packages/AE/j.json cannot be read (")
                    .hasMessageEndingWith("rebuild-latest --full republishes the read model");
        }
    }

    @Test
    void packageKeysKeepNamesThatDifferInCaseApartAndReadBack() {
        String upper = StorageLayout.readModelPackageKey(AE, PackageName.of("Job_1"));
        String lower = StorageLayout.readModelPackageKey(AE, PackageName.of("job_1"));

        assertThat(upper).isEqualTo("_read_model/packages/AE/!job_1.json");
        assertThat(lower).isEqualTo("_read_model/packages/AE/job_1.json");
        assertThat(upper.toLowerCase()).isNotEqualTo(lower);
        assertThat(StorageLayout.readModelPackageOf(AE, upper)).contains(PackageName.of("Job_1"));
        assertThat(StorageLayout.readModelPackageOf(AE, "_read_model/packages/AE/9.A-b.json")).isEmpty();
        assertThat(StorageLayout.readModelPackageOf(AE, "_read_model/packages/AE/!!a.json")).isEmpty();
        assertThat(StorageLayout.readModelPackageOf(AE, "_read_model/packages/CMF/a.json")).isEmpty();
        assertThat(StorageLayout.readModelIndexPageKey(AE, 12)).isEqualTo("_read_model/index/AE/0000012.json");
        assertThat(StorageLayout.readModelIndexPageOf(AE, "_read_model/index/AE/0000012.json")).isEqualTo(12);
        assertThat(StorageLayout.readModelIndexPageOf(AE, "_read_model/index/AE/12.json")).isEqualTo(-1);
        assertThat(StorageLayout.readModelStatusKey(AE, S)).isEqualTo("_read_model/submissions/AE/" + S + ".json");
    }

    @Test
    void pagesAreFullButTheLastAndARequestReadsTheOneOrTwoThatHoldIt() {
        List<IndexEntry> entries = new ArrayList<>();
        ReadModelObjects stored = storedPages(entries, new InMemoryObjectStore());
        List<IndexPage> pages = IndexPages.of(AE, entries);

        assertThat(pages).extracting(p -> p.entries().size()).containsExactly(1000, 1000, 500);
        assertThat(pages).extracting(IndexPage::last).containsExactly(false, false, true);
        assertThat(IndexPages.of(AE, List.of())).isEmpty();
        assertThat(IndexPages.window(0, 100)).isEqualTo(new IndexPages.Window(0, 100, 0, 0));
        assertThat(IndexPages.window(3, 300)).isEqualTo(new IndexPages.Window(900, 1200, 0, 1));
        assertThat(IndexPages.window(1, 1000).pages()).isEqualTo(1);
        for (int[] request : new int[][] {{0, 1000}, {1, 1000}, {2, 1000}, {3, 1000}, {3, 300}, {8, 300}, {24, 100}, {25, 100}, {357, 7}}) {
            IndexPages.Window window = IndexPages.window(request[0], request[1]);
            List<IndexPage> read = pages.subList((int) Math.min(pages.size(), window.firstPage()),
                    (int) Math.min(pages.size(), window.lastPage() + 1));
            int from = Math.min(entries.size(), request[0] * request[1]);
            int to = Math.min(entries.size(), from + request[1]);
            assertThat(IndexPages.slice(window, read)).as("page %d of %d", request[0], request[1])
                    .isEqualTo(new IndexPages.Slice(entries.subList(from, to), to < entries.size()));
            assertThat(stored.listing(AE, request[0], request[1])).as("page %d of %d from the stored pages", request[0], request[1])
                    .isEqualTo(new IndexPages.Slice(entries.subList(from, to), to < entries.size()));
        }
    }

    /** The stored pages of 2,500 packages (three pages, p00000…p02499), each entry with its own stamp and id. */
    private ReadModelObjects storedPages(List<IndexEntry> entries, InMemoryObjectStore store) {
        for (int i = 0; i < 2_500; i++) {
            entries.add(new IndexEntry(PackageName.of(String.format("p%05d", i)), 1 + i, T.plusMillis(i), SubmissionId.generate(T, new Random(i)), i));
        }
        ReadModelObjects objects = new ReadModelObjects(store);
        IndexPages.of(AE, entries).forEach(page -> store.put(StorageLayout.readModelIndexPageKey(AE, page.number()), codec.encode(page)));
        return objects;
    }

    @Test
    void aListingDecodesOnlyItsOwnPackagesButChecksTheWholePagesOrder() {
        List<IndexEntry> entries = new ArrayList<>();
        InMemoryObjectStore store = new InMemoryObjectStore();
        ReadModelObjects objects = storedPages(entries, store);
        String key = StorageLayout.readModelIndexPageKey(AE, 0);
        String page = new String(store.get(key).orElseThrow().content(), StandardCharsets.UTF_8);

        // A damaged timestamp outside the request's window is not read; inside it, the page is refused.
        store.put(key, page.replace(entries.get(500).eventTimestamp().toString(), "yesterday").getBytes(StandardCharsets.UTF_8));
        assertThat(objects.listing(AE, 0, 100)).isEqualTo(new IndexPages.Slice(entries.subList(0, 100), true));
        assertThatThrownBy(() -> objects.listing(AE, 5, 100)).isInstanceOf(UnreadableReadModelException.class)
                .hasMessageStartingWith("the read-model object " + key + " cannot be read (");
        // Names out of order anywhere in the page, or a page short of full that is not the last: refused whatever the window.
        store.put(key, page.replace("\"p00999\"", "\"p00001\"").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> objects.listing(AE, 0, 100)).isInstanceOf(UnreadableReadModelException.class)
                .hasMessageContaining("packages must be sorted by name, each once");
        store.put(key, page.replace(",\"last\":false", "").replaceFirst("\\{\"package_name\":\"p00999\"[^}]*},?", "")
                .replace(",]", "]").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> objects.listing(AE, 0, 100)).isInstanceOf(UnreadableReadModelException.class)
                .hasMessageContaining("holds 999 packages and is not the last, so it must hold 1000");
        // A page that holds another page's packages.
        store.put(key, store.get(StorageLayout.readModelIndexPageKey(AE, 1)).orElseThrow().content());
        assertThatThrownBy(() -> objects.listing(AE, 0, 100)).isInstanceOf(UnreadableReadModelException.class)
                .hasMessageContaining("it holds page 1 of AE");
    }

    @Test
    void invalidDocumentsCannotBeBuilt() {
        assertThatThrownBy(() -> PackageDocument.version(AE, PackageName.of("a"), List.of(), T, S)).hasMessageContaining("has some");
        assertThatThrownBy(() -> PackageDocument.version(AE, PackageName.of("a"), List.of(2L, 1L), T, S)).hasMessageContaining("ascending");
        assertThatThrownBy(() -> new IndexPage(AE, 0, List.of(new IndexEntry(PackageName.of("a"), 1, T, S, 0)), false))
                .hasMessageContaining("must be full");
        assertThatThrownBy(() -> new SubmissionStatusDocument(AE, S, S)).hasMessageContaining("supersede itself");
    }
}
