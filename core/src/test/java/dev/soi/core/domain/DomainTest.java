package dev.soi.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DomainTest {
    private static final Instant T1 = Instant.parse("2024-05-16T10:00:00.123Z");
    private static final Instant WHOLE_SECOND = Instant.parse("2024-05-16T10:00:00Z");

    @ParameterizedTest
    @ValueSource(strings = {"AE", "CMF", "A", "X_1", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"})
    void businessUnitAcceptsUpperCaseCodes(String code) {
        assertThat(BusinessUnit.of(code).code()).isEqualTo(code);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ae", "1AE", "A-E", "A E", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", "AE'", "AE/"})
    void businessUnitRejectsAnythingElseShowingTheValue(String code) {
        assertThatThrownBy(() -> BusinessUnit.of(code))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("business unit must be")
                .hasMessageContaining("\"" + code.substring(0, Math.min(code.length(), 80)));
    }

    @Test
    void packageNameRulesAndMessages() {
        assertThat(PackageName.of("job_1.v2-final").value()).isEqualTo("job_1.v2-final");
        assertThat(PackageName.of("a".repeat(128)).value()).hasSize(128);
        assertThatThrownBy(() -> PackageName.of("")).hasMessage("package name is empty");
        assertThatThrownBy(() -> PackageName.of("a".repeat(129))).hasMessageContaining("longer than 128 characters");
        assertThatThrownBy(() -> PackageName.of("_job")).hasMessageContaining("starting with a letter or digit: \"_job\"");
        assertThatThrownBy(() -> PackageName.of("job\u0000x")).hasMessageContaining("\"job\\u0000x\"");
        assertThatThrownBy(() -> PackageName.of("jöb")).hasMessageContaining("\"jöb\"");
        assertThatThrownBy(() -> PackageName.of(null)).isInstanceOf(NullPointerException.class).hasMessage("package name is null");
    }

    @Test
    void referenceIdRangeIsOneToTwoToTheFiftyThreeMinusOne() {
        assertThat(ReferenceId.of(1).value()).isEqualTo(1);
        assertThat(ReferenceId.of(9_007_199_254_740_991L).value()).isEqualTo(ReferenceId.MAX);
        assertThatThrownBy(() -> ReferenceId.of(0)).hasMessage("reference id must be between 1 and 9007199254740991: 0");
        assertThatThrownBy(() -> ReferenceId.of(-5)).hasMessageEndingWith(": -5");
        assertThatThrownBy(() -> ReferenceId.of(ReferenceId.MAX + 1)).hasMessageEndingWith(": 9007199254740992");
    }

    @Test
    void packageChangeCollapsesDuplicatesAndSorts() {
        PackageChange change = PackageChange.set("job_1", 456, 123, 456, 123, 7);
        assertThat(change.referenceIds()).containsExactly(7L, 123L, 456L);
        assertThat(change.isDeletion()).isFalse();
        assertThat(change.rowCount()).isEqualTo(3);
        assertThat(PackageChange.delete("job_1").rowCount()).isEqualTo(1);
        List<Long> withNull = new ArrayList<>();
        withNull.add(1L);
        withNull.add(null);
        assertThatThrownBy(() -> new PackageChange(PackageName.of("p"), withNull)).hasMessage("reference id #1 is null");
    }

    @Test
    void submissionIdIsAUuidV7CarryingItsMillisecond() {
        SubmissionId id = SubmissionId.generate(T1, new SplittableRandom(1));
        assertThat(id.value().version()).isEqualTo(7);
        assertThat(id.value().variant()).isEqualTo(2);
        assertThat(id.timestamp()).isEqualTo(T1);
        assertThat(SubmissionId.parse(id.toString())).isEqualTo(id);
        assertThatThrownBy(() -> SubmissionId.parse("3b241101-e2bb-4255-8caf-4136c566a962"))
                .hasMessageContaining("must be a UUIDv7");
        assertThatThrownBy(() -> SubmissionId.parse("nope")).hasMessage("submission id is not a UUID: \"nope\"");
    }

    @Test
    void laterSubmissionIdsSortAfterEarlierOnes() {
        SubmissionId earlier = SubmissionId.generate(T1, new SplittableRandom(1));
        SubmissionId later = SubmissionId.generate(T1.plusMillis(1), new SplittableRandom(2));
        assertThat(earlier.compareTo(later)).isNegative();
    }

    @Test
    void submissionRejectsEmptyAndDuplicatePackages() {
        SubmissionId id = SubmissionId.generate(T1, new SplittableRandom(1));
        BusinessUnit ae = BusinessUnit.of("AE");
        assertThatThrownBy(() -> new Submission(id, T1, "alice", ae, List.of()))
                .hasMessage("a submission changes at least one package");
        assertThatThrownBy(() -> new Submission(id, T1, "alice", ae,
                List.of(PackageChange.set("job_1", 1), PackageChange.delete("job_1"))))
                .hasMessage("package \"job_1\" appears twice in one submission");
        assertThatThrownBy(() -> new Submission(id, T1, " ", ae, List.of(PackageChange.set("job_1", 1))))
                .hasMessageContaining("submitted by must be");
    }

    @Test
    void submissionRowsAreOnePerIdAndOneTombstonePerDeletion() {
        SubmissionId id = SubmissionId.generate(T1, new SplittableRandom(1));
        Submission submission = new Submission(id, T1.plusNanos(999), "alice", BusinessUnit.of("AE"),
                List.of(PackageChange.set("job_1", 456, 123), PackageChange.delete("job_2")));
        List<PitRow> rows = new ArrayList<>();
        submission.forEachRow("20240516t100000z-00000001", rows::add);
        LocalDate date = LocalDate.parse("2024-05-16");
        assertThat(rows).containsExactly(
                new PitRow(123L, PackageName.of("job_1"), T1, id, "alice", "20240516t100000z-00000001", BusinessUnit.of("AE"), date),
                new PitRow(456L, PackageName.of("job_1"), T1, id, "alice", "20240516t100000z-00000001", BusinessUnit.of("AE"), date),
                new PitRow(null, PackageName.of("job_2"), T1, id, "alice", "20240516t100000z-00000001", BusinessUnit.of("AE"), date));
        assertThat(submission.rowCount()).isEqualTo(3);
    }

    @Test
    void requestDateIsTheUtcDateOfTheEventTimestamp() {
        Instant lateEvening = Instant.parse("2024-05-16T23:59:59.999Z");
        SubmissionId id = SubmissionId.generate(lateEvening, new SplittableRandom(1));
        assertThatThrownBy(() -> new PitRow(1L, PackageName.of("p"), lateEvening, id, "a", "r",
                BusinessUnit.of("AE"), LocalDate.parse("2024-05-17")))
                .hasMessage("request date 2024-05-17 is not the UTC date of event timestamp 2024-05-16T23:59:59.999Z");
    }

    @Test
    void storageLayoutKeys() {
        PitPartition partition = new PitPartition(BusinessUnit.of("AE"), LocalDate.parse("2024-05-16"));
        RunId run = new RunId("20240516t100000z-0000abcd");
        assertThat(StorageLayout.pitFileKey(partition, run, 0))
                .isEqualTo("security_of_interest_pit/business_unit=AE/request_date=2024-05-16/20240516t100000z-0000abcd-0.parquet");
        assertThat(StorageLayout.latestVersionPrefix(run.value()))
                .isEqualTo("security_of_interest_latest/version=20240516t100000z-0000abcd/");
        assertThat(StorageLayout.manifestKey(run)).isEqualTo("_runs/20240516t100000z-0000abcd.json");
        assertThat(run.asIdentifier()).isEqualTo("r20240516t100000z_0000abcd");
    }

    @Test
    void runIdsSortByStartTimeToTheMillisecond() {
        RunId first = RunId.generate(WHOLE_SECOND.plusMillis(500), () -> -1L);
        RunId second = RunId.generate(WHOLE_SECOND.plusMillis(501), () -> 0L);
        RunId third = RunId.generate(WHOLE_SECOND.plusSeconds(1), new SplittableRandom(1));
        assertThat(first.value()).isEqualTo("20240516t100000z-1f4fffff");
        assertThat(second.value()).isEqualTo("20240516t100000z-1f500000");
        assertThat(first).isLessThan(second).isLessThan(third);
        assertThat(first.startedAt()).isEqualTo(WHOLE_SECOND);
        assertThatThrownBy(() -> new RunId("../x")).hasMessageContaining("run id must look like");
    }

    @Test
    void aRunIdGeneratedAfterAnotherSortsAfterItWhateverTheClockSays() {
        RunId previous = RunId.generate(WHOLE_SECOND.plusMillis(999), () -> 0L);

        assertThat(RunId.generateAfter(WHOLE_SECOND.plusMillis(999), previous, () -> -1L).value()).as("the same millisecond")
                .isEqualTo("20240516t100001z-000fffff");
        assertThat(RunId.generateAfter(WHOLE_SECOND.minusSeconds(600), previous, () -> -1L)).as("a clock stepped back")
                .isGreaterThan(previous);
        assertThat(RunId.generateAfter(WHOLE_SECOND.plusSeconds(5), previous, () -> -1L).value()).as("a clock moved on")
                .isEqualTo("20240516t100005z-000fffff");
        RunId older = new RunId("20240516t100000z-fa3b2c1d");
        assertThat(RunId.generateAfter(WHOLE_SECOND, older, () -> 0L).value()).as("after an id from before milliseconds were encoded")
                .isEqualTo("20240516t100001z-00000000");
    }

    @Test
    void runIdsOfOneProcessSortInTheOrderTheyWereHandedOut() {
        java.time.Clock stopped = java.time.Clock.fixed(T1, java.time.ZoneOffset.UTC);
        long[] next = {Long.MAX_VALUE};
        RunIds ids = new RunIds(stopped, () -> next[0] -= 1_000_003L);

        List<RunId> handedOut = java.util.stream.Stream.generate(ids).limit(1_500).toList();

        assertThat(handedOut).isSorted().doesNotHaveDuplicates();
        assertThat(handedOut.get(0).startedAt()).isEqualTo(WHOLE_SECOND);
    }
}
