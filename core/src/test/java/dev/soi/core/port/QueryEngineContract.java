package dev.soi.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.PitRow;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.TableStatements;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link QueryEngine} must do with the statements of {@link TableStatements}: the same rows on
 * every engine. A subclass supplies a fresh engine (with an empty catalog) per test, a second engine
 * instance over the same catalog, the key-to-location function, and a way to put a PIT Parquet file
 * under a key.
 */
public abstract class QueryEngineContract {
    protected static final String DATABASE = "df_trusted_test";
    private static final BusinessUnit AE = BusinessUnit.of("AE");
    private static final List<BusinessUnit> REGISTRY = List.of(AE, BusinessUnit.of("CMF"));
    private static final Instant T1 = Instant.parse("2024-05-16T10:00:00.123Z");
    private static final Instant T2 = Instant.parse("2024-05-16T10:05:00.456Z");

    private final SplittableRandom random = new SplittableRandom(42);
    protected TableStatements statements;
    protected QueryEngine engine;

    protected abstract QueryEngine newEngine();

    /** Another engine instance over the same catalog, as a second process would have. */
    protected abstract QueryEngine readerOnSameCatalog();

    protected abstract Function<String, String> locationOfKey();

    /** Writes {@code rows} (all of one partition) as one Parquet file under {@code key}. */
    protected abstract void writePitFile(String key, List<PitRow> rows);

    /** True if {@code keyPrefix} holds at least one object. */
    protected abstract boolean hasFiles(String keyPrefix);

    @BeforeEach
    void setUpEngine() {
        engine = newEngine();
        statements = new TableStatements(new SqlTemplates(), DATABASE, locationOfKey());
    }

    private void bootstrap() {
        engine.execute(statements.createDatabase());
        engine.execute(statements.createPitTable());
        engine.execute(statements.createLatestTable(StorageLayout.latestVersionPrefix(StorageLayout.LATEST_EMPTY_VERSION), REGISTRY));
    }

    private SubmissionId id(Instant at) {
        return SubmissionId.generate(at, random);
    }

    private List<PitRow> version(String unit, String packageName, Instant at, SubmissionId id, Long... referenceIds) {
        List<PitRow> rows = new ArrayList<>();
        LocalDate date = at.atOffset(ZoneOffset.UTC).toLocalDate();
        for (Long referenceId : referenceIds) {
            rows.add(new PitRow(referenceId, PackageName.of(packageName), at, id, "alice", "run", BusinessUnit.of(unit), date));
        }
        return rows;
    }

    private PitPartition partitionOf(List<PitRow> rows) {
        return new PitPartition(rows.get(0).businessUnit(), rows.get(0).requestDate());
    }

    /** Writes each version as its own file (as separate runs would) and registers the partitions. */
    @SafeVarargs
    private void ingest(List<PitRow>... versions) {
        List<PitPartition> partitions = new ArrayList<>();
        for (int i = 0; i < versions.length; i++) {
            PitPartition partition = partitionOf(versions[i]);
            RunId run = new RunId(String.format("20240516t1000%02dz-0000abcd", i));
            writePitFile(StorageLayout.pitFileKey(partition, run, 0), versions[i]);
            partitions.add(partition);
        }
        statements.addPartitions(partitions).forEach(engine::execute);
    }

    /**
     * What the batch's full rebuild does: one CTAS per unit with PIT partitions into the unit's folder of the version, a
     * candidate table over the version, verify, swap, drop. Returns the verify row.
     */
    private List<Object> rebuildLatest(String version) {
        String staging = "security_of_interest_latest_stg_" + version;
        String prefix = StorageLayout.latestVersionPrefix(version.replace('_', '-'));
        List<BusinessUnit> units = new ArrayList<>(REGISTRY);
        for (List<Object> row : engine.query(statements.pitUnits()).rows()) {
            BusinessUnit unit = BusinessUnit.of((String) row.get(0));
            engine.execute(statements.createLatestUnit(staging + "_u", LatestLayout.latestUnitPrefix(version.replace('_', '-'), unit),
                    statements.latestUnitFromPit(unit)));
            engine.execute(statements.dropStaging(staging + "_u"));
            if (!units.contains(unit)) {
                units.add(unit);
            }
        }
        engine.execute(statements.createLatestCandidate(staging, prefix, units));
        QueryResult verify = engine.query(statements.verifyStaging(staging));
        engine.execute(statements.swapLatest(prefix, units));
        engine.execute(statements.dropStaging(staging));
        return verify.rows().get(0);
    }

    private List<Long> latestIds(QueryEngine on, String unit, String packageName) {
        return on.query(statements.latestPackage(BusinessUnit.of(unit), PackageName.of(packageName))).rows().stream()
                .map(row -> (Long) row.get(0)).toList();
    }

    private long pitCount() {
        return (Long) engine.query(new SqlTemplates().render("testing/count_pit", java.util.Map.of("database",
                dev.soi.core.sql.SqlToken.identifier(DATABASE)))).rows().get(0).get(0);
    }

    @Test
    void bootstrapIsIdempotentAndStartsEmpty() {
        bootstrap();
        bootstrap();
        assertThat(pitCount()).isZero();
        assertThat(engine.query(statements.latestUnit(AE)).rows()).isEmpty();
    }

    @Test
    void seedExampleLatestKeepsOnlyNewestVersionAndPitKeepsBoth() {
        bootstrap();
        SubmissionId first = id(T1);
        SubmissionId second = id(T2);
        ingest(version("AE", "job_1", T1, first, 123L, 456L), version("AE", "job_1", T2, second, 123L));

        assertThat(rebuildLatest("v1")).containsExactly(1L, 0L);

        assertThat(latestIds(engine, "AE", "job_1")).containsExactly(123L);
        QueryResult latest = engine.query(statements.latestPackage(AE, PackageName.of("job_1")));
        assertThat(latest.columns()).containsExactly("reference_id", "event_timestamp", "submission_id");
        assertThat(latest.rows()).containsExactly(List.of(123L, T2, second.toString()));
        assertThat(pitCount()).isEqualTo(3);
    }

    @Test
    void registeringPartitionsTwiceChangesNothing() {
        bootstrap();
        List<PitRow> rows = version("AE", "job_1", T1, id(T1), 1L, 2L);
        ingest(rows);
        statements.addPartitions(List.of(partitionOf(rows))).forEach(engine::execute);
        assertThat(pitCount()).isEqualTo(2);
    }

    @Test
    void newerTombstoneRemovesThePackage() {
        bootstrap();
        ingest(version("AE", "job_1", T1, id(T1), 1L, 2L),
                version("AE", "job_1", T2, id(T2), (Long) null),
                version("AE", "job_2", T1, id(T1), 9L));
        rebuildLatest("v1");
        assertThat(latestIds(engine, "AE", "job_1")).isEmpty();
        assertThat(engine.query(statements.latestUnit(AE)).rows())
                .extracting(row -> row.get(0) + ":" + row.get(1)).containsExactly("job_2:9");
        assertThat(pitCount()).isEqualTo(4);
    }

    @Test
    void equalTimestampsAreBrokenByTheLargerSubmissionId() {
        bootstrap();
        SubmissionId a = id(T1);
        SubmissionId b = id(T1);
        SubmissionId larger = a.compareTo(b) > 0 ? a : b;
        SubmissionId smaller = larger == a ? b : a;
        ingest(version("AE", "job_1", T1, larger, 7L), version("AE", "job_1", T1, smaller, 8L, 9L));
        rebuildLatest("v1");
        assertThat(latestIds(engine, "AE", "job_1")).containsExactly(7L);
    }

    @Test
    void outOfOrderCountsOnlyARunsSubmissionsStampedOlderThanAVersionAnotherRunCommitted() {
        bootstrap();
        String earlier = "20240516t100000z-0000aaaa";
        String run = "20240516t100500z-0000bbbb";
        SubmissionId late = id(T1);
        ingest(byRun(earlier, version("AE", "job_1", T2, id(T2), 1L)),
                byRun(run, version("AE", "job_1", T1, late, 2L, 3L)),
                byRun(run, version("AE", "job_2", T1, id(T1), 4L)),
                byRun(run, version("AE", "job_3", T1, id(T1), 5L)),
                byRun(run, version("AE", "job_3", T2, id(T2), 6L)),
                byRun(earlier, version("AE", "job_4", T1, id(T1), 7L)),
                byRun(run, version("AE", "job_4", T2, id(T2), 8L)));

        QueryResult result = engine.query(statements.countOutOfOrder(LocalDate.of(2024, 5, 16), new RunId(run)));

        assertThat(result.columns()).containsExactly("out_of_order", "example_submission_id");
        assertThat(result.rows()).containsExactly(List.of(1L, late.toString()));
        assertThat(engine.query(statements.countOutOfOrder(LocalDate.of(2024, 5, 16), new RunId("20240516t101000z-0000cccc"))).rows())
                .as("a run that wrote nothing").containsExactly(java.util.Arrays.asList(0L, null));
    }

    private static List<PitRow> byRun(String run, List<PitRow> rows) {
        return rows.stream().map(r -> new PitRow(r.referenceId(), r.packageName(), r.eventTimestamp(), r.submissionId(),
                r.submittedBy(), run, r.businessUnit(), r.requestDate())).toList();
    }

    @Test
    void aUnitStatementIntoAFolderThatHoldsFilesFails() {
        bootstrap();
        ingest(version("AE", "job_1", T1, id(T1), 1L));
        rebuildLatest("v1");
        assertThatThrownBy(() -> engine.execute(statements.createLatestUnit("security_of_interest_latest_stg_again",
                LatestLayout.latestUnitPrefix("v1", AE), statements.latestUnitFromPit(AE))))
                .isInstanceOfSatisfying(QueryFailedException.class,
                        e -> assertThat(e.template()).isEqualTo("athena/create_latest_unit_ctas"));
    }

    @Test
    void pitUnitsAreTheUnitsWithRegisteredPartitions() {
        bootstrap();
        assertThat(engine.query(statements.pitUnits()).rows()).isEmpty();
        ingest(version("CMF", "job_1", T1, id(T1), 1L), version("AE", "job_1", T1, id(T1), 2L), version("AE", "job_2", T2, id(T2), 3L));
        assertThat(engine.query(statements.pitUnits()).rows()).containsExactly(List.of("AE"), List.of("CMF"));
    }

    @Test
    void theSwapMovesEveryUnitToTheNewVersionAndAUnitWithNoFolderReadsEmpty() {
        bootstrap();
        ingest(version("AE", "job_1", T1, id(T1), 1L), version("CMF", "job_9", T1, id(T1), 9L));
        rebuildLatest("v1");
        ingest(version("AE", "job_1", T2, id(T2), 2L), version("CMF", "job_9", T2, id(T2), (Long) null));
        rebuildLatest("v2");
        assertThat(latestIds(engine, "AE", "job_1")).containsExactly(2L);
        assertThat(latestIds(engine, "CMF", "job_9")).as("CMF's only package deleted: its folder of v2 holds no file").isEmpty();
        assertThat(engine.query(statements.latestUnit(BusinessUnit.of("CMF"))).rows()).isEmpty();
        assertThat(latestIds(readerOnSameCatalog(), "AE", "job_1")).containsExactly(2L);
    }

    @Test
    void anIncrementalUnitKeepsTheCurrentVersionsPackagesAndRecomputesTheChangedOnes() {
        bootstrap();
        ingest(version("AE", "job_1", T1, id(T1), 1L), version("AE", "job_2", T1, id(T1), 5L));
        rebuildLatest("v1");
        SubmissionId change = id(T2);
        List<PitRow> changed = version("AE", "job_1", T2, change, 3L, 4L);
        PitPartition partition = partitionOf(changed);
        RunId run = new RunId("20240516t110000z-0000abcd");
        writePitFile(StorageLayout.pitFileKey(partition, run, 0), changed.stream().map(r -> new PitRow(r.referenceId(),
                r.packageName(), r.eventTimestamp(), r.submissionId(), r.submittedBy(), run.value(), r.businessUnit(), r.requestDate()))
                .toList());
        statements.addPartitions(List.of(partition)).forEach(engine::execute);
        String prefix = StorageLayout.latestVersionPrefix("v2");
        engine.execute(statements.createLatestUnit("security_of_interest_latest_stg_v2_ae", LatestLayout.latestUnitPrefix("v2", AE),
                statements.latestUnitIncremental(AE, partition.requestDate(), run)));
        engine.execute(statements.createLatestUnit("security_of_interest_latest_stg_v2_cmf",
                LatestLayout.latestUnitPrefix("v2", BusinessUnit.of("CMF")), statements.latestUnitCopy(BusinessUnit.of("CMF"))));
        engine.execute(statements.createLatestCandidate("security_of_interest_latest_stg_v2", prefix, REGISTRY));
        assertThat(engine.query(statements.verifyStaging("security_of_interest_latest_stg_v2")).rows()).containsExactly(List.of(3L, 0L));
        engine.execute(statements.swapLatest(prefix, REGISTRY));
        assertThat(latestIds(engine, "AE", "job_1")).containsExactly(3L, 4L);
        assertThat(latestIds(engine, "AE", "job_2")).containsExactly(5L);
    }

    @Test
    void aTableDroppedAndCreatedAgainReadsTheVersionItIsCreatedAt() {
        bootstrap();
        ingest(version("AE", "job_1", T1, id(T1), 1L));
        rebuildLatest("v1");
        engine.execute(statements.dropLatestTable());
        engine.execute(statements.createLatestTable(StorageLayout.latestVersionPrefix("v1"), REGISTRY));
        assertThat(latestIds(engine, "AE", "job_1")).containsExactly(1L);
    }

    @Test
    void anotherEngineOnTheSameCatalogSeesTheSwap() {
        bootstrap();
        ingest(version("AE", "job_1", T1, id(T1), 1L, 2L));
        rebuildLatest("v1");
        QueryEngine reader = readerOnSameCatalog();
        assertThat(latestIds(reader, "AE", "job_1")).containsExactly(1L, 2L);
        ingest(version("AE", "job_1", T2, id(T2), 3L));
        rebuildLatest("v2");
        assertThat(latestIds(reader, "AE", "job_1")).containsExactly(3L);
    }

    @Test
    void droppingTheStagingTableKeepsItsFiles() {
        bootstrap();
        ingest(version("AE", "job_1", T1, id(T1), 1L));
        rebuildLatest("v1");
        assertThat(hasFiles(StorageLayout.latestVersionPrefix("v1"))).isTrue();
        assertThat(latestIds(engine, "AE", "job_1")).containsExactly(1L);
    }

    @Test
    void submissionAppliedCountsThatSubmissionsRowsOnly() {
        bootstrap();
        SubmissionId applied = id(T1);
        ingest(version("AE", "job_1", T1, applied, 1L, 2L), version("AE", "job_2", T2, id(T2), 3L));
        assertThat(engine.query(statements.submissionApplied(AE, applied)).rows()).containsExactly(List.of(2L));
        assertThat(engine.query(statements.submissionApplied(AE, id(T2.plusSeconds(1)))).rows()).containsExactly(List.of(0L));
        assertThat(engine.query(statements.submissionApplied(BusinessUnit.of("CMF"), applied)).rows()).containsExactly(List.of(0L));
    }

    @Test
    void packageAsOfAnInstantReturnsTheVersionThenInForce() {
        bootstrap();
        SubmissionId first = id(T1);
        SubmissionId second = id(T2);
        Instant deletedAt = T2.plusSeconds(86_400);
        ingest(version("AE", "job_1", T1, first, 123L, 456L), version("AE", "job_1", T2, second, 123L),
                version("AE", "job_1", deletedAt, id(deletedAt), (Long) null));
        PackageName job = PackageName.of("job_1");

        assertThat(engine.query(statements.packageAsOf(AE, job, T1.minusMillis(1))).rows()).isEmpty();
        assertThat(engine.query(statements.packageAsOf(AE, job, T1)).rows())
                .containsExactly(List.of(123L, T1, first.toString()), List.of(456L, T1, first.toString()));
        assertThat(engine.query(statements.packageAsOf(AE, job, T2.minusMillis(1))).rows())
                .extracting(row -> row.get(0)).containsExactly(123L, 456L);
        assertThat(engine.query(statements.packageAsOf(AE, job, T2)).rows())
                .containsExactly(List.of(123L, T2, second.toString()));
        assertThat(engine.query(statements.packageAsOf(AE, job, deletedAt.minusMillis(1))).rows())
                .extracting(row -> row.get(0)).containsExactly(123L);
        assertThat(engine.query(statements.packageAsOf(AE, job, deletedAt)).rows()).isEmpty();
        assertThat(engine.query(statements.packageAsOf(BusinessUnit.of("CMF"), job, deletedAt)).rows()).isEmpty();
    }

    @Test
    void packageHistoryListsEveryVersionNewestFirstWithItsIdCount() {
        bootstrap();
        SubmissionId first = id(T1);
        SubmissionId second = id(T2);
        Instant deletedAt = T2.plusSeconds(60);
        SubmissionId deletion = id(deletedAt);
        ingest(version("AE", "job_1", T1, first, 123L, 456L), version("AE", "job_1", T2, second, 123L),
                version("AE", "job_1", deletedAt, deletion, (Long) null), version("AE", "job_2", T1, id(T1), 9L));

        QueryResult history = engine.query(statements.packageHistory(AE, PackageName.of("job_1")));
        assertThat(history.columns()).containsExactly("event_timestamp", "submission_id", "submitted_by", "ingest_run_id",
                "reference_ids_count");
        assertThat(history.rows()).containsExactly(
                List.of(deletedAt, deletion.toString(), "alice", "run", 0L),
                List.of(T2, second.toString(), "alice", "run", 1L),
                List.of(T1, first.toString(), "alice", "run", 2L));
    }

    @Test
    void latestUnitPageCountsPackagesNotIds() {
        bootstrap();
        SubmissionId first = id(T1);
        SubmissionId second = id(T2);
        ingest(version("AE", "job_1", T1, first, 1L, 2L), version("AE", "job_2", T2, second, 9L),
                version("AE", "job_3", T1, id(T1), 5L), version("AE", "job_3", T2, id(T2), (Long) null),
                version("CMF", "job_0", T1, id(T1), 4L));
        rebuildLatest("v1");
        Function<long[], List<List<Object>>> page = bounds -> engine.query(
                statements.latestUnitPage(BusinessUnit.of("AE"), bounds[0], bounds[1])).rows();

        assertThat(page.apply(new long[] {0, 1})).containsExactly(List.of("job_1", 2L, T1, first.toString()));
        assertThat(page.apply(new long[] {1, 5})).containsExactly(List.of("job_2", 1L, T2, second.toString()));
        assertThat(page.apply(new long[] {2, 3})).isEmpty();
    }

    @Test
    void readModelChangesAnswerTheRunsVersionsAndTheirPackagesLatestRowsOnePerPackage() {
        bootstrap();
        String oldRun = "20240516t090000z-00000001";
        String newRun = "20240516t100000z-00000002";
        SubmissionId old = id(T1);
        SubmissionId kept = id(T1);
        SubmissionId newer = id(T2);
        SubmissionId deletion = id(T2);
        SubmissionId other = id(T2);
        ingestRun(oldRun, version("AE", "job_1", T1, old, 1L, 2L), version("AE", "job_9", T1, kept, 7L));
        ingestRun(newRun, version("AE", "job_1", T2, newer, 3L), version("AE", "job_9", T1.minusSeconds(60), deletion, (Long) null),
                version("CMF", "job_3", T2, other, 5L, 4L));
        rebuildLatest("v1");
        LocalDate day = T1.atOffset(ZoneOffset.UTC).toLocalDate();

        QueryResult changes = engine.query(statements.readModelChanges(day, newRun));

        assertThat(changes.columns()).containsExactly("source", "business_unit", "package_name", "submission_id", "event_timestamp",
                "reference_ids_count", "reference_ids");
        assertThat(changes.rows()).containsExactlyInAnyOrder(
                java.util.Arrays.asList("run", "AE", "job_1", newer.toString(), T2, 1L, null),
                java.util.Arrays.asList("run", "AE", "job_9", deletion.toString(), T1.minusSeconds(60), 0L, null),
                java.util.Arrays.asList("run", "CMF", "job_3", other.toString(), T2, 2L, null),
                List.of("latest", "AE", "job_1", newer.toString(), T2, 1L, "3"),
                List.of("latest", "AE", "job_9", kept.toString(), T1, 1L, "7"),
                List.of("latest", "CMF", "job_3", other.toString(), T2, 2L, "4,5"));
        assertThat(engine.query(statements.readModelChanges(day.plusDays(1), newRun)).rows()).as("nothing written from the next day on")
                .isEmpty();
        assertThat(engine.query(statements.readModelFull(day)).rows()).extracting(r -> r.get(0) + " " + r.get(2) + " " + r.get(6))
                .containsExactlyInAnyOrder("run job_1 null", "run job_1 null", "run job_9 null", "run job_9 null", "run job_3 null",
                        "latest job_1 3", "latest job_9 7", "latest job_3 4,5");
    }

    /** Writes each version as its own file of run {@code runId} (its rows' ingest_run_id) and registers the partitions. */
    @SafeVarargs
    private void ingestRun(String runId, List<PitRow>... versions) {
        List<PitRow> rows = new ArrayList<>();
        for (List<PitRow> version : versions) {
            version.forEach(r -> rows.add(new PitRow(r.referenceId(), r.packageName(), r.eventTimestamp(), r.submissionId(), r.submittedBy(),
                    runId, r.businessUnit(), r.requestDate())));
        }
        java.util.Map<PitPartition, List<PitRow>> byPartition = new java.util.TreeMap<>();
        rows.forEach(r -> byPartition.computeIfAbsent(new PitPartition(r.businessUnit(), r.requestDate()), k -> new ArrayList<>()).add(r));
        byPartition.forEach((partition, partitionRows) -> writePitFile(StorageLayout.pitFileKey(partition, new RunId(runId), 0), partitionRows));
        statements.addPartitions(List.copyOf(byPartition.keySet())).forEach(engine::execute);
    }

    @Test
    void aFailingStatementNamesItsTemplate() {
        bootstrap();
        assertThatThrownBy(() -> engine.query(statements.verifyStaging("no_such_staging_table")))
                .isInstanceOfSatisfying(QueryFailedException.class, e -> {
                    assertThat(e.template()).isEqualTo("athena/verify_staging");
                    assertThat(e.reason()).isNotBlank();
                });
    }
}
