package dev.soi.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.run.FaultInjector;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.journal.ManifestState;
import dev.soi.batch.testing.Crashes;
import dev.soi.batch.testing.Expected;
import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.PitFiles;
import dev.soi.batch.testing.ReadModelCheck;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PitRow;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.readmodel.ReadModelObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the interleaving of submissions, redeliveries, out-of-order arrivals, crashes at any fault
 * point, runs blocked by a live lease, submissions SQS moved to the dead-letter queue and redriven, and compactions
 * through today, a redrive of what is left in the dead-letter queue and a final normal run leave every submission in the PIT table
 * exactly once and the latest table equal to the newest version of each package. After every run that completed, the
 * read model the API answers from agrees with the latest table, package by package and page by page; after the last,
 * every submission's status is APPLIED, superseded exactly when another submission's version of one of its packages won.
 *
 * <p>Each fixture runs it ({@code InMemory…}, {@code Embedded…}, and {@code TrinoExactlyOncePropertiesTest}, whose
 * {@code @PropertyDefaults} set how many histories: a history costs seconds on the real engines).
 */
public abstract class ExactlyOnceProperties {
    protected static final Instant START = Instant.parse("2026-11-23T03:00:00Z");
    private static final List<String> PACKAGES = List.of("p1", "p2", "p3");

    /** What the operator does after a round's run: nothing, {@code dlq redrive --all}, or {@code compact} through today. */
    public enum After { NOTHING, REDRIVE, COMPACT }

    /**
     * One scheduled run: what arrives before it (the first submission parked in the dead-letter queue, as SQS moves a
     * message after too many receives, when {@code parked}), how it ends, and what follows it.
     */
    public record Round(List<Set<Integer>> submissions, List<Integer> units, List<Integer> ageSeconds, int redeliver,
                 FaultPoint crash, boolean waitForLease, boolean parked, After after) {}

    /**
     * A fresh fixture for one history, its clock at {@code start}, its files (if any) under {@code home}: a new folder that
     * is deleted, with the fixture closed, when the history ends.
     */
    protected abstract BatchFixture newFixture(Path home, Instant start) throws Exception;

    /** The batch's properties on this fixture (a queue that times visibility on the wall clock needs short ones). */
    protected BatchProperties properties() {
        return BatchProperties.builder().units("AE", "CMF", "FX").build();
    }

    @Property
    public void everySubmissionLandsExactlyOnce(@ForAll("rounds") List<Round> rounds, @ForAll long seed) throws Exception {
        Path home = Files.createTempDirectory("soi-exactly-once");
        try {
            BatchFixture fixture = newFixture(home, START);
            try {
                history(fixture, rounds, seed);
            } finally {
                fixture.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(home)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private void history(BatchFixture fixture, List<Round> rounds, long seed) {
        SubmissionMessages messages = new SubmissionMessages(fixture.store());
        Random random = new Random(seed);
        // As a deployment does: the tables exist before the first run (the real engines refuse a run without them).
        assertThat(newRun(fixture, messages, random, FaultInjector.NONE).bootstrap().outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        List<Submission> sent = new ArrayList<>();
        boolean compacted = false;
        // One package that is never deleted, so the final latest table always has rows to compare. (An empty one
        // would be accepted too: the pre-swap check allows it when every package's newest version is a tombstone.)
        Submission base = new Submission(SubmissionId.generate(START.minusSeconds(3600), random), START.minusSeconds(3600),
                "alice", BusinessUnit.of("FX"), List.of(PackageChange.set("base", 1)));
        sent.add(base);
        fixture.queue().enqueue(List.of(messages.toMessage(base, 262_144)));
        for (Round round : rounds) {
            // Runs 20 s apart, so a crashed run's lease (60 s) still blocks the next two unless the round waits.
            fixture.clock().advance(Duration.ofSeconds(20));
            for (int i = 0; i < round.submissions().size(); i++) {
                Instant at = fixture.clock().instant().minusSeconds(round.ageSeconds().get(i));
                Set<Integer> ids = round.submissions().get(i);
                String pkg = PACKAGES.get(Math.floorMod(ids.hashCode() + i, PACKAGES.size()));
                PackageChange change = PackageChange.set(pkg, ids.stream().mapToLong(Integer::longValue).toArray());
                Submission submission = new Submission(SubmissionId.generate(at, random), at, "alice",
                        BusinessUnit.of(round.units().get(i) == 0 ? "AE" : "CMF"), List.of(change));
                sent.add(submission);
                SubmissionQueue to = round.parked() && i == 0 ? fixture.queue().deadLetterQueue() : fixture.queue();
                to.enqueue(List.of(messages.toMessage(submission, 262_144)));
            }
            if (round.redeliver() >= 0 && !sent.isEmpty()) {
                Submission again = sent.get(round.redeliver() % sent.size());
                fixture.queue().enqueue(List.of(messages.toMessage(again, 262_144)));
            }
            BatchCommands run = newRun(fixture, messages, random, Crashes.at(round.crash()));
            boolean completed = false;
            try {
                RunSummary summary = run.run();
                completed = summary.outcome() == RunSummary.Outcome.COMPLETED;
                if (summary.outcome() == RunSummary.Outcome.COMPLETED && new ReadModelObjects(fixture.store()).marker().isPresent()) {
                    ReadModelCheck.assertAgreesWithLatestTable(fixture, List.of("AE", "CMF", "FX"));
                }
            } catch (Crashes.SimulatedCrash crash) {
                if (round.waitForLease()) {
                    fixture.clock().advance(Duration.ofSeconds(90));
                }
            }
            BatchCommands operator = newRun(fixture, messages, random, FaultInjector.NONE);
            RunSummary after = switch (round.after()) {
                case NOTHING -> null;
                case REDRIVE -> operator.dlqRedrive(true, List.of());
                case COMPACT -> operator.compact(fixture.clock().instant().atOffset(ZoneOffset.UTC).toLocalDate());
            };
            // Neither command recovers a crashed run's publication (the next run does), so they are checked after a completed run.
            if (completed && after != null && after.outcome() == RunSummary.Outcome.COMPLETED
                    && new ReadModelObjects(fixture.store()).marker().isPresent()) {
                ReadModelCheck.assertAgreesWithLatestTable(fixture, List.of("AE", "CMF", "FX"));
            }
            compacted |= after != null && after.compaction().partitions() > 0;
        }
        // What is still parked goes back to the queue, as an operator's dlq redrive --all does.
        fixture.clock().advance(Duration.ofSeconds(90));
        newRun(fixture, messages, random, FaultInjector.NONE).dlqRedrive(true, List.of());
        // The first run at least 90 s after the last crash applies everything (once the queue shows what a crash held).
        fixture.awaitRedelivery();
        RunSummary last = newRun(fixture, messages, random, FaultInjector.NONE).run();

        assertThat(last.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(fixture.messagesLeft()).isZero();
        assertThat(fixture.stagingTables()).isEmpty();
        Expected.manifests(fixture.store()).forEach(m -> assertThat(m.state()).isIn(ManifestState.DONE, ManifestState.ABORTED));
        if (compacted) {
            // A compaction moves a partition's rows into a file of its own, so the rows are counted as the engine reads them.
            List<String> pit = fixture.pitTable();
            Map<String, Long> perSubmission = new HashMap<>();
            sent.forEach(s -> perSubmission.put(s.id().toString(), pit.stream().filter(r -> r.contains(s.id().toString())).count()));
            assertThat(perSubmission).isEqualTo(Expected.rowsPerSubmission(sent));
        } else {
            Set<String> committedFiles = Expected.committedFiles(fixture.store());
            assertThat(PitFiles.keys(fixture.store())).containsExactlyInAnyOrderElementsOf(committedFiles);
            List<PitRow> rows = new ArrayList<>();
            PitFiles.readAll(fixture.store(), committedFiles).values().forEach(rows::addAll);
            assertThat(PitFiles.rowsPerSubmission(rows)).isEqualTo(Expected.rowsPerSubmission(sent));
        }
        assertThat(fixture.latestTable()).isEqualTo(Expected.latest(sent));
        ReadModelCheck.assertAgreesWithLatestTable(fixture, List.of("AE", "CMF", "FX"));
        ReadModelCheck.assertStatuses(fixture, sent, sent);
    }

    private BatchCommands newRun(BatchFixture fixture, SubmissionMessages messages, Random random, FaultInjector faults) {
        return fixture.commands(fixture.engine(), fixture.queue(), messages, new Random(random.nextLong()), properties(), faults);
    }

    @Provide
    public Arbitrary<List<Round>> rounds() {
        Arbitrary<Set<Integer>> ids = Arbitraries.integers().between(1, 6).set().ofMaxSize(4);
        Arbitrary<Round> round = Arbitraries.integers().between(0, 4).flatMap(n -> Combinators.combine(
                ids.list().ofSize(n),
                Arbitraries.integers().between(0, 1).list().ofSize(n),
                Arbitraries.integers().between(0, 600).list().ofSize(n),
                Arbitraries.integers().between(-1, 20),
                Arbitraries.of(FaultPoint.class).injectNull(0.4),
                Arbitraries.of(true, true, false),
                Arbitraries.of(false, false, false, true),
                Arbitraries.of(After.NOTHING, After.NOTHING, After.REDRIVE, After.COMPACT)).as(Round::new));
        return round.list().ofMinSize(1).ofMaxSize(4);
    }
}
