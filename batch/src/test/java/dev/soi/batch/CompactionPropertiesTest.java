package dev.soi.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.run.FaultInjector;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.testing.Crashes;
import dev.soi.batch.testing.InMemoryBatchFixture;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.message.SubmissionMessages;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Compaction changes where rows lie, never which rows there are: a history of runs with compactions (scheduled and
 * on demand, through past days or today, some crashing at a compaction fault point) interleaved, late arrivals
 * included, leaves the PIT table's row multiset and the latest table equal to those of the same history without
 * compaction. The two histories share their clocks and run ids, so even {@code ingest_run_id} must match.
 */
class CompactionPropertiesTest {
    private static final Instant START = Instant.parse("2026-11-23T03:00:00Z");
    private static final List<String> PACKAGES = List.of("p1", "p2", "p3");
    private static final List<FaultPoint> COMPACTION_FAULTS = List.of(FaultPoint.AFTER_COMPACTION_WRITE,
            FaultPoint.AFTER_COMPACTION_VERIFY, FaultPoint.AFTER_COMPACTION_SWAP, FaultPoint.BEFORE_OLD_FILES_DELETE);

    /** What happens between two runs: hours passing, submissions (some late by up to two days), a compaction. */
    enum Compact { NONE, CLOSED_DAYS, THROUGH_TODAY }

    record Round(int hours, List<Set<Integer>> submissions, List<Integer> lateHours, Compact compact, int crash) {}

    @Property(tries = 30)
    void compactionLeavesPitRowsAndLatestAsWithoutIt(@ForAll("rounds") List<Round> rounds, @ForAll long seed) {
        History compacted = new History(seed, BatchProperties.defaults());
        History plain = new History(seed, BatchProperties.builder().compaction(new BatchProperties.Compaction(0, null, null, null)).build());
        Random random = new Random(seed);
        Random runSeeds = new Random(seed ^ 0x5eed);
        for (Round round : rounds) {
            compacted.fixture.clock().advance(Duration.ofHours(round.hours()));
            plain.fixture.clock().advance(Duration.ofHours(round.hours()));
            for (int i = 0; i < round.submissions().size(); i++) {
                Instant at = compacted.fixture.clock().instant().minus(Duration.ofHours(round.lateHours().get(i)));
                Set<Integer> ids = round.submissions().get(i);
                PackageChange change = ids.isEmpty() ? PackageChange.delete(PACKAGES.get(i % PACKAGES.size()))
                        : PackageChange.set(PACKAGES.get(Math.floorMod(ids.hashCode(), PACKAGES.size())), ids.stream().mapToLong(Integer::longValue).toArray());
                Submission submission = new Submission(SubmissionId.generate(at, random), at, "alice",
                        BusinessUnit.of(i % 2 == 0 ? "AE" : "CMF"), List.of(change));
                compacted.send(submission);
                plain.send(submission);
            }
            long runSeed = runSeeds.nextLong();
            FaultPoint crash = round.crash() < 0 ? null : COMPACTION_FAULTS.get(round.crash());
            boolean crashed = compacted.run(runSeed, round.compact() == Compact.NONE ? crash : null);
            plain.run(runSeed, null);
            if (round.compact() != Compact.NONE && !crashed) {
                LocalDate today = compacted.fixture.clock().instant().atOffset(ZoneOffset.UTC).toLocalDate();
                crashed = compacted.compact(runSeeds.nextLong(), round.compact() == Compact.THROUGH_TODAY ? today : null, crash);
            }
            if (crashed) {
                compacted.fixture.clock().advance(BatchProperties.defaults().leaseTtl().plusMinutes(1));
                plain.fixture.clock().advance(BatchProperties.defaults().leaseTtl().plusMinutes(1));
            }
        }
        long last = runSeeds.nextLong();
        compacted.run(last, null);
        plain.run(last, null);

        Statistics.label("partitions compacted").collect(compacted.compacted == 0 ? "none" : compacted.compacted < 3 ? "1-2" : "3+");
        assertThat(compacted.pitRows()).isEqualTo(plain.pitRows());
        assertThat(compacted.fixture.latestTable()).isEqualTo(plain.fixture.latestTable());
    }

    /** One history over its own in-memory fixture. */
    private static final class History {
        final InMemoryBatchFixture fixture = new InMemoryBatchFixture(START);
        final SubmissionMessages messages = new SubmissionMessages(fixture.store());
        final BatchProperties properties;
        long compacted;

        History(long seed, BatchProperties properties) {
            this.properties = properties;
            commands(seed, FaultInjector.NONE).bootstrap();
        }

        void send(Submission submission) {
            fixture.queue().enqueue(List.of(messages.toMessage(submission, 262_144)));
        }

        boolean run(long seed, FaultPoint crash) {
            try {
                compacted += commands(seed, Crashes.at(crash)).run().compaction().partitions();
                return false;
            } catch (Crashes.SimulatedCrash e) {
                return true;
            }
        }

        boolean compact(long seed, LocalDate through, FaultPoint crash) {
            try {
                compacted += commands(seed, Crashes.at(crash)).compact(through).compaction().partitions();
                return false;
            } catch (Crashes.SimulatedCrash e) {
                return true;
            }
        }

        List<String> pitRows() {
            return fixture.pitTable();
        }

        private BatchCommands commands(long seed, FaultInjector faults) {
            return fixture.commands(fixture.engine(), fixture.queue(), messages, new Random(seed), properties, faults);
        }
    }

    @Provide
    Arbitrary<List<Round>> rounds() {
        Arbitrary<Set<Integer>> ids = Arbitraries.integers().between(1, 6).set().ofMaxSize(3);
        Arbitrary<Round> round = Arbitraries.integers().between(0, 4).flatMap(n -> Combinators.combine(
                Arbitraries.integers().between(0, 5),
                ids.list().ofSize(n),
                Arbitraries.integers().between(0, 50).list().ofSize(n),
                Arbitraries.of(Compact.class),
                Arbitraries.integers().between(-4, 3)).as(Round::new));
        return round.list().ofMinSize(3).ofMaxSize(14);
    }
}
