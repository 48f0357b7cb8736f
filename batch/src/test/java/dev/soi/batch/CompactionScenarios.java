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
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.Statement;
import java.time.Duration;
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
        BatchProperties two = properties().toBuilder().compaction(new BatchProperties.Compaction(2, null, null)).build();
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
