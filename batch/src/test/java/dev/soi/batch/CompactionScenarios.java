package dev.soi.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.run.FaultInjector;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.Crashes;
import dev.soi.batch.testing.Crashes.SimulatedCrash;
import dev.soi.batch.testing.LatestRow;
import dev.soi.batch.testing.PitFiles;
import dev.soi.batch.testing.SlowEngine;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.IndexLayout;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.Statement;
import dev.soi.core.testing.FaultyObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Compaction scenarios against a {@link BatchFixture}, so they run unchanged in memory, on DuckDB and on
 * Trino: the compacted table reads the same rows, late data lands where the table reads, and a crash at each
 * compaction fault point followed by a later run loses and doubles nothing.
 */
public abstract class CompactionScenarios extends ScenarioSupport {
    protected static final LocalDate DAY = LocalDate.parse("2026-11-23");
    /** Two days on: {@link #DAY} closed more than the grace period ago. */
    private static final Duration TO_CLOSED = Duration.ofHours(47);

    protected CompactionScenarios() {
        super(15);
    }

    // ------------------------------------------------------------------ scenarios

    @Test
    void compactRewritesEachClosedPartitionIntoOneFileWithTheSameRowsAndLatest() {
        history();
        List<String> rowsBefore = pitRows();
        Set<LatestRow> latestBefore = fixture.latestTable();
        fixture.clock().advance(TO_CLOSED);

        RunSummary summary = newRun(FaultInjector.NONE).compact(null);

        assertThat(summary.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(summary.stepMillis().keySet()).containsExactly("lease", "recover", "finish-compactions", "compact-partitions",
                "publish-event");
        assertThat(summary.compaction().partitions()).isEqualTo(2);
        assertThat(summary.compaction().filesBefore()).isEqualTo(6);
        assertThat(summary.compaction().filesAfter()).isEqualTo(2);
        assertThat(summary.compaction().bytesAfter()).isPositive();
        assertThat(summary.sentence()).isEqualTo("Compacted 2 partitions: 6 files into 2.");
        assertThat(pitRows()).isEqualTo(rowsBefore);
        assertThat(fixture.latestTable()).isEqualTo(latestBefore);
        assertThat(filesPerFolder(true)).hasSize(2).allSatisfy((folder, files) -> {
            assertThat(StorageLayout.compactionOf(folder)).contains(summary.runId());
            assertThat(files).isEqualTo(1);
        });
        assertThat(fixture.publishedEvents().get(fixture.publishedEvents().size() - 1).detailJson())
                .contains("\"partitions_compacted\":2").contains("\"files_before\":6").contains("\"files_after\":2");

        // Nothing left to do: one file per closed partition is not rewritten again.
        RunSummary again = newRun(FaultInjector.NONE).compact(null);
        assertThat(again.compaction().partitions()).isZero();
        assertThat(again.sentence()).isEqualTo("Nothing to compact: no eligible partition has more files than its size needs.");
    }

    @Test
    void lateSubmissionForACompactedDayLandsInTheFolderTheTableReads() {
        history();
        fixture.clock().advance(TO_CLOSED);
        RunSummary compaction = newRun(FaultInjector.NONE).compact(null);
        List<String> expected = new ArrayList<>(pitRows());

        Submission late = sendAt("AE", START.plus(Duration.ofHours(5)), PackageChange.set("job_1", 900, 901));
        RunSummary run = newRun(FaultInjector.NONE).run();

        assertThat(run.submissionsApplied()).isEqualTo(1);
        String folder = StorageLayout.compactedPartitionPrefix(partition("AE"), new RunId(compaction.runId()));
        assertThat(PitFiles.keys(fixture.store())).filteredOn(k -> k.contains(run.runId())).singleElement()
                .satisfies(k -> assertThat(k).startsWith(folder));
        assertThat(pitRows()).containsAll(expected).hasSize(expected.size() + 2);
        assertThat(fixture.latestTable()).filteredOn(r -> r.businessUnit().equals("AE") && r.packageName().equals("job_1"))
                .extracting(LatestRow::referenceId).containsExactlyInAnyOrder(900L, 901L);
        assertThat(late.requestDate()).isEqualTo(DAY);
    }

    @ParameterizedTest
    @EnumSource(value = FaultPoint.class, names = {"AFTER_COMPACTION_WRITE", "AFTER_COMPACTION_VERIFY", "AFTER_COMPACTION_SWAP"})
    void crashDuringCompactionThenALaterRunLeavesTheTableCorrect(FaultPoint point) {
        history();
        fixture.clock().advance(TO_CLOSED);
        List<String> rowsBefore = pitRows();

        assertThatThrownBy(() -> newRun(crashAt(point)).compact(null)).isInstanceOf(SimulatedCrash.class);
        assertThat(pitRows()).as("readers see the old or the new folder, never both").isEqualTo(rowsBefore);

        passCrashedLease();
        sendAt("AE", START.plus(Duration.ofHours(6)), PackageChange.set("job_9", 42));
        RunSummary later = newRun(FaultInjector.NONE).run();

        assertThat(later.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(pitRows()).containsAll(rowsBefore).hasSize(rowsBefore.size() + 1);
        assertThat(fixture.latestTable()).filteredOn(r -> r.packageName().equals("job_9")).extracting(LatestRow::referenceId)
                .containsExactly(42L);
        // Every compaction ends: the one a crash left is finished or undone, and the partitions get compacted.
        fixture.clock().advance(Duration.ofHours(2));
        newRun(FaultInjector.NONE).compact(null);
        fixture.clock().advance(Duration.ofHours(2));
        newRun(FaultInjector.NONE).compact(null);
        assertThat(pitRows()).containsAll(rowsBefore).hasSize(rowsBefore.size() + 1);
        assertThat(filesPerFolder(false)).as("one folder per partition, one file in it").hasSize(2).allSatisfy((f, n) -> assertThat(n).isEqualTo(1));
    }

    /** Where a deadline stops compaction: each a clean stop that the next invocation continues. */
    enum DeadlineStop { BEFORE_THE_FIRST_PARTITION, AFTER_ONE_PARTITION, BEFORE_AN_OLD_FOLDER_IS_DELETED, DURING_THE_CTAS }

    @ParameterizedTest
    @EnumSource(DeadlineStop.class)
    void compactionStoppedByTheInvocationsDeadlineIsContinuedByTheNextInvocation(DeadlineStop stop) {
        history();
        fixture.clock().advance(TO_CLOSED);
        List<String> rowsBefore = pitRows();
        Instant now = fixture.clock().instant();
        // Each statement takes 1 s, so a partition's five take 5 s (within the shortest fixture's 6 s lease, renewed before
        // each partition); a partition is started only with 3 s left, then only with as long left as the longest one took.
        QueryEngine slow = new SlowEngine(engine, fixture.clock(), Duration.ofSeconds(1),
                s -> stop == DeadlineStop.DURING_THE_CTAS && s.template().equals("athena/compact_partition"));
        Duration left = switch (stop) {
            case BEFORE_THE_FIRST_PARTITION -> Duration.ofSeconds(2);
            case AFTER_ONE_PARTITION -> Duration.ofSeconds(9);
            case BEFORE_AN_OLD_FOLDER_IS_DELETED -> Duration.ofSeconds(5);
            case DURING_THE_CTAS -> Duration.ofHours(1);
        };
        if (stop == DeadlineStop.BEFORE_AN_OLD_FOLDER_IS_DELETED) {
            newRun(FaultInjector.NONE).compact(null);
            fixture.clock().advance(properties().compaction().oldFilesGrace().plusMinutes(1));
            now = fixture.clock().instant();
        }
        fixture.clearStatements();
        Instant deadline = now.plus(left);

        RunSummary stopped = withDeadline(slow, deadline).compact(null);

        switch (stop) {
            case BEFORE_THE_FIRST_PARTITION -> {
                assertThat(stopped.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
                assertThat(stopped.compaction()).extracting(c -> c.partitions(), c -> c.left(), c -> c.stoppedAtDeadline())
                        .containsExactly(0L, 2L, true);
                assertThat(stopped.sentence()).endsWith("Compaction stopped at the invocation's deadline with 2 partitions left; "
                        + "the next run continues.");
                assertThat(fixture.templatesIssued()).isEmpty();
            }
            case AFTER_ONE_PARTITION -> {
                assertThat(stopped.compaction()).extracting(c -> c.partitions(), c -> c.left(), c -> c.stoppedAtDeadline())
                        .containsExactly(1L, 1L, true);
                assertThat(fixture.templatesIssued()).containsExactly("athena/partition_checksum", "athena/compact_partition",
                        "athena/compaction_checksum", "athena/drop_staging_table", "athena/set_partition_location");
                assertThat(filesPerFolder(true)).hasSize(1);
            }
            case BEFORE_AN_OLD_FOLDER_IS_DELETED -> {
                assertThat(stopped.compaction()).extracting(c -> c.oldFoldersDeleted(), c -> c.stoppedAtDeadline())
                        .containsExactly(0L, true);
                assertThat(filesPerFolder(false)).as("the old folders are kept for the next invocation").hasSize(4);
            }
            case DURING_THE_CTAS -> {
                assertThat(stopped.outcome()).isEqualTo(RunSummary.Outcome.FAILED);
                assertThat(stopped.failure()).contains("stopped at the invocation's deadline");
                assertThat(filesPerFolder(true)).as("the stopped CTAS's folder is deleted").isEmpty();
            }
        }
        assertThat(pitRows()).isEqualTo(rowsBefore);

        passCrashedLease();
        RunSummary next = newRun(FaultInjector.NONE).compact(null);

        assertThat(next.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(next.compaction().partitions()).isEqualTo(switch (stop) {
            case BEFORE_THE_FIRST_PARTITION, DURING_THE_CTAS -> 2L;
            case AFTER_ONE_PARTITION -> 1L;
            case BEFORE_AN_OLD_FOLDER_IS_DELETED -> 0L;
        });
        assertThat(next.compaction().oldFoldersDeleted()).isEqualTo(stop == DeadlineStop.BEFORE_AN_OLD_FOLDER_IS_DELETED ? 2L : 0L);
        assertThat(pitRows()).isEqualTo(rowsBefore);
        assertThat(filesPerFolder(true)).hasSize(2).allSatisfy((folder, files) -> assertThat(files).isEqualTo(1));
    }

    @Test
    void aPartitionWhoseCompactionFailsTwiceIsSetAsideAndNoLongerBlocksTheOthers() {
        history();
        fixture.clock().advance(TO_CLOSED);
        List<String> rowsBefore = pitRows();
        QueryEngine failingAe = failingCompactionOf("AE");
        BatchProperties one = onePartitionPerRun();

        List<RunSummary> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(newRun(FaultInjector.NONE, one, fixture.queue(), failingAe).run());
        }

        assertThat(runs).extracting(r -> List.of(r.compaction().partitions(), r.compaction().failed(), r.compaction().setAside()))
                .containsExactly(List.of(0L, 1L, 0L), List.of(0L, 1L, 1L), List.of(1L, 0L, 1L));
        assertThat(runs.get(2).sentence()).contains("1 partition is set aside after failing to compact twice: run compact to retry them");
        assertThat(filesPerFolder(true).keySet()).as("CMF compacted past AE").singleElement()
                .satisfies(folder -> assertThat(folder).contains("business_unit=CMF/"));

        RunSummary retried = newRun(FaultInjector.NONE).compact(null);

        assertThat(List.of(retried.compaction().partitions(), retried.compaction().setAside())).containsExactly(1L, 0L);
        assertThat(pitRows()).isEqualTo(rowsBefore);
    }

    /** The engine, but every compaction statement of {@code unit}'s partitions fails. */
    private QueryEngine failingCompactionOf(String unit) {
        return new SlowEngine(engine, fixture.clock(), Duration.ZERO, s -> s.template().equals("athena/compact_partition")
                && s.token("business_unit").equals(dev.soi.core.sql.SqlToken.literal(unit)));
    }

    /** The properties with compaction bounded to one partition a run. */
    private BatchProperties onePartitionPerRun() {
        return properties().toBuilder().compaction(new BatchProperties.Compaction(1, null, null, null)).build();
    }

    /**
     * The set-aside marker's write loses its answer each way: one that landed is the run's own, so the partition is set
     * aside as without the fault; one that never landed leaves the record at two failures, and the next run sets the
     * partition aside before it compacts the others.
     */
    @ParameterizedTest
    @EnumSource(FaultyObjectStore.Fault.class)
    void theSetAsideMarkerSurvivesALostAnswer(FaultyObjectStore.Fault fault) {
        history();
        fixture.clock().advance(TO_CLOSED);
        List<String> rowsBefore = pitRows();
        QueryEngine failingAe = failingCompactionOf("AE");
        BatchProperties one = onePartitionPerRun();
        FaultyObjectStore.Armed armed = fixture.faultyStore().arm(fault,
                w -> w.operation() == FaultyObjectStore.Operation.PUT && w.key().startsWith(IndexLayout.COMPACTION_SET_ASIDE_PREFIX));

        List<RunSummary> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(newRun(FaultInjector.NONE, one, fixture.queue(), failingAe).run());
        }
        fixture.faultyStore().disarm();

        assertThat(armed.fired()).isEqualTo(1);
        assertThat(runs).extracting(RunSummary::outcome).containsOnly(RunSummary.Outcome.COMPLETED);
        assertThat(runs).extracting(r -> List.of(r.compaction().partitions(), r.compaction().failed(), r.compaction().setAside()))
                .containsExactly(List.of(0L, 1L, 0L), List.of(0L, 1L, fault == FaultyObjectStore.Fault.FAILS_BEFORE_WRITE ? 0L : 1L),
                        List.of(1L, 0L, 1L));
        assertThat(fixture.store().list(IndexLayout.COMPACTION_SET_ASIDE_PREFIX)).singleElement()
                .satisfies(marker -> assertThat(marker.key()).contains("business_unit=AE/"));
        assertThat(filesPerFolder(true).keySet()).as("CMF compacted past AE").singleElement()
                .satisfies(folder -> assertThat(folder).contains("business_unit=CMF/"));
        assertThat(pitRows()).isEqualTo(rowsBefore);
    }

    /** The batch's commands as a Lambda invocation that ends at {@code deadline} runs them, its statements going to {@code engine}. */
    private BatchCommands withDeadline(QueryEngine engine, Instant deadline) {
        BatchProperties estimate = properties().toBuilder().compaction(new BatchProperties.Compaction(null, null, null, Duration.ofSeconds(3)))
                .build();
        return fixture.commands(fixture.store(), engine, fixture.queue(), messages, new java.util.Random(random.nextLong()), estimate,
                FaultInjector.NONE, () -> java.util.Optional.of(deadline));
    }

    @Test
    void crashBeforeTheOldFilesAreDeletedThenALaterRunDeletesThem() {
        history();
        fixture.clock().advance(TO_CLOSED);
        List<String> rowsBefore = pitRows();
        newRun(FaultInjector.NONE).compact(null);
        assertThat(filesPerFolder(false)).as("old folders wait out their grace period").hasSize(4);
        fixture.clock().advance(properties().compaction().oldFilesGrace().plusMinutes(1));

        assertThatThrownBy(() -> newRun(crashAt(FaultPoint.BEFORE_OLD_FILES_DELETE)).run()).isInstanceOf(SimulatedCrash.class);
        assertThat(pitRows()).isEqualTo(rowsBefore);

        passCrashedLease();
        RunSummary later = newRun(FaultInjector.NONE).run();

        assertThat(later.compaction().oldFoldersDeleted()).isEqualTo(2);
        assertThat(filesPerFolder(false)).hasSize(2).allSatisfy((f, n) -> assertThat(StorageLayout.compactionOf(f)).isPresent());
        assertThat(pitRows()).isEqualTo(rowsBefore);
    }

    @Test
    void newFilesWhoseChecksumDiffersAreNeverSwappedIn() {
        history();
        fixture.clock().advance(TO_CLOSED);
        List<String> rowsBefore = pitRows();
        QueryEngine sabotaged = new QueryEngine() {
            @Override
            public void execute(Statement statement) {
                fixture.engine().execute(statement);
            }

            @Override
            public QueryResult query(Statement statement) {
                QueryResult result = fixture.engine().query(statement);
                if (!statement.template().equals("athena/compaction_checksum")) {
                    return result;
                }
                return new QueryResult(result.columns(), List.of(List.of(result.rows().get(0).get(0), "0")));
            }
        };

        RunSummary failed = newRun(FaultInjector.NONE, properties(), fixture.queue(), sabotaged).compact(null);
        RunSummary scheduled = newRun(FaultInjector.NONE, properties(), fixture.queue(), sabotaged).run();

        assertThat(failed.outcome()).isEqualTo(RunSummary.Outcome.FAILED);
        assertThat(failed.failure()).contains("does not hold the partition's rows");
        assertThat(scheduled.outcome()).as("in the scheduled run a failed compaction is reported, not fatal")
                .isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(scheduled.compaction().failed()).isEqualTo(2);
        assertThat(scheduled.compaction().partitions()).isZero();
        assertThat(pitRows()).isEqualTo(rowsBefore);
        assertThat(filesPerFolder(true)).as("the new folders were deleted").isEmpty();
    }

    @Test
    void scheduledRunCompactsAtMostTheConfiguredPartitionsPerRunAfterItsOwnWork() {
        history();
        sendAt("FX", START.plus(Duration.ofMinutes(30)), PackageChange.set("fx_1", 5));
        newRun(FaultInjector.NONE).run();
        sendAt("FX", START.plus(Duration.ofMinutes(40)), PackageChange.set("fx_1", 6));
        newRun(FaultInjector.NONE).run();
        fixture.clock().advance(TO_CLOSED);
        BatchProperties two = properties().toBuilder().compaction(new BatchProperties.Compaction(2, null, null, null)).build();
        sendAt("CMF", fixture.clock().instant(), PackageChange.set("today", 1)); // the first run's own work: today, not closed

        RunSummary first = newRun(FaultInjector.NONE, two).run();
        RunSummary second = newRun(FaultInjector.NONE, two).run();
        RunSummary third = newRun(FaultInjector.NONE, two).run();

        assertThat(first.stepMillis().keySet()).containsSubsequence("rebuild-latest", "finish-compactions", "compact-partitions",
                "publish-event");
        assertThat(List.of(first.compaction().partitions(), second.compaction().partitions(), third.compaction().partitions()))
                .containsExactly(2L, 1L, 0L);
    }

    @Test
    void compactThroughTodayStaysCorrectWhileRunsContinue() {
        history();
        List<String> rows = new ArrayList<>(pitRows());
        RunSummary today = newRun(FaultInjector.NONE).compact(DAY);
        assertThat(today.compaction().partitions()).isEqualTo(2);

        for (int i = 0; i < 3; i++) {
            fixture.clock().advance(Duration.ofMinutes(5));
            sendAt("AE", fixture.clock().instant(), PackageChange.set("job_" + i, 1000 + i));
            newRun(FaultInjector.NONE).run();
        }
        assertThat(pitRows()).containsAll(rows).hasSize(rows.size() + 3);
        fixture.clock().advance(Duration.ofHours(2));
        newRun(FaultInjector.NONE).run(); // deletes the old folders
        RunSummary again = newRun(FaultInjector.NONE).compact(DAY);
        assertThat(again.compaction().partitions()).isEqualTo(1);
        assertThat(pitRows()).containsAll(rows).hasSize(rows.size() + 3);
    }

    // ------------------------------------------------------------------ history and reads

    /** Day {@link #DAY}: four runs for AE and two for CMF, one file each, with a replaced version and a tombstone. */
    protected void history() {
        for (int i = 0; i < 4; i++) {
            sendAt("AE", fixture.clock().instant(), PackageChange.set("job_1", 10 + i, 20 + i), PackageChange.set("job_" + (i + 2), i + 1));
            if (i < 2) {
                sendAt("CMF", fixture.clock().instant(), i == 0 ? PackageChange.set("c_1", 7, 8) : PackageChange.delete("c_1"));
            }
            fixture.clock().advance(Duration.ofMinutes(5));
            newRun(FaultInjector.NONE).run();
        }
    }

    /** Every PIT row as the engine reads it now, one line per row, sorted: the table's row multiset. */
    protected List<String> pitRows() {
        return fixture.pitTable();
    }

    /** Files per PIT folder that holds any; with {@code compactedOnly}, only compacted folders. */
    private Map<String, Integer> filesPerFolder(boolean compactedOnly) {
        return PitFiles.keys(fixture.store()).stream()
                .map(k -> StorageLayout.partitionLocationOf(k).orElseThrow())
                .filter(f -> !compactedOnly || StorageLayout.compactionOf(f).isPresent())
                .collect(Collectors.toMap(f -> f, f -> 1, Integer::sum, TreeMap::new));
    }

    private static PitPartition partition(String unit) {
        return new PitPartition(BusinessUnit.of(unit), DAY);
    }

    private static FaultInjector crashAt(FaultPoint point) {
        return Crashes.at(point);
    }
}
