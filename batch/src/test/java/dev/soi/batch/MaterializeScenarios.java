package dev.soi.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.run.Command;
import dev.soi.batch.ops.DeadLetter;
import dev.soi.batch.ops.StackStatus;
import dev.soi.batch.run.FaultInjector;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.journal.ManifestCodec;
import dev.soi.batch.journal.ManifestState;
import dev.soi.batch.journal.RunManifest;
import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.Crashes;
import dev.soi.batch.testing.Crashes.SimulatedCrash;
import dev.soi.batch.testing.Expected;
import dev.soi.batch.testing.LatestRow;
import dev.soi.batch.testing.ObservedQueue;
import dev.soi.batch.testing.PitFiles;
import dev.soi.batch.testing.ReadModelCheck;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.PitRow;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.step.StepExecution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The batch's scenarios (the seed example, tombstones, ordering, every crash point, redelivery, poison messages,
 * dead letters, status), written against a {@link BatchFixture} so they run unchanged over the in-memory fakes, the
 * embedded stand-ins and Trino: subclass and return a fresh fixture.
 */
public abstract class MaterializeScenarios extends ScenarioSupport {
    /** A full rebuild of one unit: the units with PIT partitions, the unit's statement, the candidate, checks, swap. */
    private static final List<String> REBUILD = List.of("athena/pit_units", "athena/create_latest_unit_ctas",
            "athena/drop_staging_table", "athena/create_latest_table", "athena/verify_staging", "athena/count_missing_packages",
            "athena/swap_latest", "athena/drop_staging_table");

    protected MaterializeScenarios() {
        super(42);
    }

    // ------------------------------------------------------------------ scenarios

    @Test
    void seedExampleKeepsBothVersionsInPitAndOnlyTheNewestInLatest() {
        Submission first = send("AE", Duration.ZERO, PackageChange.set("job_1", 123, 456));
        Submission second = send("AE", Duration.ofMinutes(2), PackageChange.set("job_1", 123));
        fixture.clock().advance(Duration.ofMinutes(5));

        RunSummary summary = newRun(FaultInjector.NONE).run();

        assertThat(summary.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(summary.sentence()).isEqualTo("Applied 2 submissions (3 rows in 1 files) for AE; the latest table is now version "
                + summary.runId() + " (1 rows).");
        assertThat(summary.submissionsApplied()).isEqualTo(2);
        assertThat(summary.rowsWritten()).isEqualTo(3);
        assertThat(summary.filesWritten()).isEqualTo(1);
        assertRunSteps(List.copyOf(summary.stepMillis().keySet()));
        PitPartition partition = new PitPartition(BusinessUnit.of("AE"), LocalDate.of(2026, 11, 23));
        String fileKey = StorageLayout.pitFileKey(partition, new RunId(summary.runId()), 0);
        assertThat(PitFiles.keys(fixture.store())).containsExactly(fileKey);
        assertThat(PitFiles.read(fixture.store(), fileKey)).extracting(PitRow::referenceId, r -> r.submissionId().toString())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(123L, first.id().toString()),
                        org.assertj.core.groups.Tuple.tuple(123L, second.id().toString()),
                        org.assertj.core.groups.Tuple.tuple(456L, first.id().toString()));
        assertThat(fixture.templatesIssued()).as("the first publication of the read model is a full one")
                .containsExactlyElementsOf(concat(concat(List.of("athena/add_partitions", "athena/count_out_of_order"), REBUILD),
                        List.of("athena/read_model_full")));
        assertThat(fixture.latestTable()).containsExactly(new LatestRow("AE", "job_1", 123, second.id().toString()));
        assertThat(fixture.registeredPartitions()).containsExactly(partition);
        assertThat(manifestStates()).containsExactly(Map.entry(summary.runId(), ManifestState.DONE));
        RunManifest manifest = manifest(summary.runId());
        assertThat(manifest.files()).extracting(RunManifest.FileEntry::key).containsExactly(fileKey);
        assertThat(manifest.latestVersion()).isEqualTo(summary.runId());
        assertThat(manifest.submissions()).extracting(RunManifest.SubmissionEntry::submissionId)
                .containsExactlyInAnyOrder(first.id().toString(), second.id().toString());
        assertThat(fixture.messagesLeft()).isZero();
        assertThat(fixture.stagingTables()).isEmpty();

        List<DomainEvent> events = fixture.publishedEvents();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).source()).isEqualTo("dev.soi.security-of-interest");
        assertThat(events.get(0).detailType()).isEqualTo("SecurityOfInterestRunCompleted");
        JsonNode detail = JsonMapper.builder().build().readTree(events.get(0).detailJson());
        assertThat(detail.get("run_id").asString()).isEqualTo(summary.runId());
        assertThat(detail.get("units_changed").toString()).isEqualTo("[\"AE\"]");
        assertThat(detail.get("submissions").asInt()).isEqualTo(2);
        assertThat(detail.get("rows_written").asInt()).isEqualTo(3);
        assertThat(detail.get("files").toString()).isEqualTo("[\"" + fileKey + "\"]");
        assertThat(detail.get("latest_version_location").asString())
                .isEqualTo(fixture.store().location(StorageLayout.latestVersionPrefix(summary.runId())));
        assertThat(detail.get("dead_lettered").asInt()).isZero();
        assertThat(detail.has("duration_ms")).isTrue();
    }

    @Test
    void aPitReaderSeesNoRowOfARunBetweenItsFileWritesAndItsCommitAndEveryRowAfter() {
        // A first run registers the partitions, so the table already reads the folders the second run writes into.
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1, 2));
        send("CMF", Duration.ZERO, PackageChange.set("risk", 9));
        newRun(FaultInjector.NONE).run();
        Submission ae = send("AE", Duration.ofMinutes(1), PackageChange.set("job_2", 3, 4, 5));
        Submission cmf = send("CMF", Duration.ofMinutes(1), PackageChange.set("risk", 10, 11));
        fixture.clock().advance(Duration.ofMinutes(5));
        List<String> seenBeforeCommit = new CopyOnWriteArrayList<>();
        FaultInjector reader = point -> {
            if (point == FaultPoint.AFTER_MANIFEST_PENDING || point == FaultPoint.AFTER_UPLOAD || point == FaultPoint.BEFORE_COMMIT) {
                seenBeforeCommit.add(point.label() + ": " + pitRowsOf(ae, cmf));
            }
        };

        RunSummary summary = newRun(reader).run();

        assertThat(summary.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(seenBeforeCommit).as("rows of the run a PIT reader saw once each file was written, and before the commit")
                .containsExactlyInAnyOrder("after-manifest-pending: 0", "after-upload: 0", "after-upload: 0", "before-commit: 0");
        assertThat(pitRowsOf(ae, cmf)).as("after the commit").isEqualTo(5);
        assertExactlyOnceAndLatestCorrect();
    }

    /** Rows of {@code submissions} in the PIT table as its readers see it now. */
    private long pitRowsOf(Submission... submissions) {
        return fixture.pitTable().stream()
                .filter(row -> Arrays.stream(submissions).anyMatch(s -> row.contains(s.id().toString()))).count();
    }

    @Test
    void quietRunWritesNothingButSaysSoAndKeepsTheLatestTableCurrent() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        RunSummary first = newRun(FaultInjector.NONE).run();
        fixture.clearStatements();
        List<String> keysBefore = allKeys();
        List<String> versionsBefore = fixture.store().list(StorageLayout.latestVersionsPrefix()).stream().map(ObjectSummary::key).toList();
        fixture.clock().advance(Duration.ofMinutes(5));
        Instant quietStart = fixture.clock().instant();
        ObservedQueue queue = new ObservedQueue(fixture.queue());

        BatchCommands.Launched quiet = newRun(FaultInjector.NONE, properties(), queue).launch(Command.RUN, false);

        RunSummary summary = quiet.summary();
        assertThat(summary.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(quiet.execution().getExitStatus().getExitCode()).isEqualTo(ExitStatus.COMPLETED.getExitCode());
        assertThat(stepNames(quiet)).as("the decider after the drain routes a quiet run past every step that writes")
                .containsExactly("lease", "recover", "check-latest", "check-read-model", "drain", "record-dead-letters", "finish-compactions",
                        "compact-partitions", "publish-event");
        assertThat(summary.sentence()).isEqualTo("Nothing to apply: the queue was empty, so no table changed; the latest table "
                + "stays at version " + first.runId() + ".");
        assertThat(summary.messagesReceived()).isZero();
        assertThat(summary.latestVersion()).isNull();
        assertThat(fixture.templatesIssued()).isEmpty();
        assertThat(allKeys()).as("no manifest, no latest version, no object that was not there").isEqualTo(keysBefore);
        assertThat(fixture.store().list(StorageLayout.latestVersionsPrefix()).stream().map(ObjectSummary::key).toList())
                .isEqualTo(versionsBefore);
        assertThat(queue.receives()).as("each receiver asked once, without waiting")
                .isEqualTo(java.util.Collections.nCopies(properties().receivers(), new ObservedQueue.Receive(Duration.ZERO, 0)));
        assertThat(fixture.lease().current()).as("the lease is released").isEmpty();

        StackStatus status = newRun(FaultInjector.NONE).status();
        assertThat(status.latestVersion()).isEqualTo(first.runId());
        assertThat(status.latestCurrentAsOf()).isEqualTo(quietStart);
        assertThat(status.latestAgeSeconds()).isEqualTo(300);
        assertThat(status.latestStalenessSeconds()).isZero();
        assertThat(status.lastRuns().get("completed")).containsEntry("run_id", summary.runId()).containsEntry("summary", summary.sentence());
        assertThat(status.sentence()).isEqualTo("No run holds the lease. 0 messages wait in the queue, 0 are being applied; the "
                + "latest table is version " + first.runId() + ", published 300 s ago; it held every submission accepted until 0 s ago.");
        fixture.clock().advance(Duration.ofMinutes(1));
        assertThat(newRun(FaultInjector.NONE).status().latestStalenessSeconds()).isEqualTo(60);
    }

    @Test
    void aRunThatReceivesOnlyRedeliveredSubmissionsDeletesThemAndChangesNoTable() {
        Submission once = send("AE", Duration.ZERO, PackageChange.set("job_1", 1, 2));
        RunSummary first = newRun(FaultInjector.NONE).run();
        fixture.clearStatements();
        List<String> keysBefore = allKeys();
        enqueue(once); // SQS delivers it again after the run that applied it finished
        fixture.clock().advance(Duration.ofMinutes(5));

        BatchCommands.Launched again = newRun(FaultInjector.NONE).launch(Command.RUN, false);

        assertThat(stepNames(again)).containsExactly("lease", "recover", "check-latest", "check-read-model", "drain", "delete-messages",
                "record-dead-letters", "finish-compactions", "compact-partitions", "publish-event");
        assertThat(again.summary().alreadyCommitted()).isEqualTo(1);
        assertThat(again.summary().sentence()).isEqualTo("Nothing new to apply: every message received was already in the PIT "
                + "table, so no table changed; the latest table stays at version " + first.runId() + ".");
        assertThat(fixture.messagesLeft()).isZero();
        assertThat(fixture.templatesIssued()).isEmpty();
        assertThat(allKeys()).as("no manifest, no latest version").isEqualTo(keysBefore);
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void smallRunDrainsItsSubmissionWithoutALongPoll() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1, 2));
        ObservedQueue queue = new ObservedQueue(fixture.queue());

        RunSummary summary = newRun(FaultInjector.NONE, properties(), queue).run();

        assertThat(summary.submissionsApplied()).isEqualTo(1);
        assertThat(queue.receives()).extracting(ObservedQueue.Receive::waited).containsOnly(Duration.ZERO);
        assertThat(queue.receives()).extracting(ObservedQueue.Receive::returned).containsOnly(0, 1);
        assertThat(queue.receives().stream().mapToInt(ObservedQueue.Receive::returned).sum()).isEqualTo(1);
        assertThat(fixture.messagesLeft()).isZero();
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void aReceiveThatMissesVisibleMessagesIsFollowedByALongPollInTheSameRun() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        send("CMF", Duration.ZERO, PackageChange.set("job_2", 2));
        send("AE", Duration.ZERO, PackageChange.set("job_3", 3));
        ObservedQueue queue = new ObservedQueue(fixture.queue()).missingNextShortReceives(1);

        RunSummary summary = newRun(FaultInjector.NONE, properties().toBuilder().receivers(1).build(), queue).run();

        assertThat(summary.submissionsApplied()).isEqualTo(3);
        assertThat(queue.receives()).isEqualTo(List.of(new ObservedQueue.Receive(Duration.ZERO, 0),
                new ObservedQueue.Receive(properties().receiveWait(), 3)));
        assertThat(fixture.messagesLeft()).isZero();
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void aSubmissionArrivingAsTheDrainEndsIsAppliedByTheNextRunExactlyOnce() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        Submission late = new Submission(SubmissionId.generate(fixture.clock().instant(), random), fixture.clock().instant(),
                "alice", BusinessUnit.of("AE"), List.of(PackageChange.set("job_1", 9)));
        sent.add(late);
        ObservedQueue queue = new ObservedQueue(fixture.queue())
                .arrivingWhenFoundEmpty(List.of(messages.toMessage(late, fixture.queue().maxMessageBytes())));

        RunSummary first = newRun(FaultInjector.NONE, properties().toBuilder().receivers(1).build(), queue).run();

        assertThat(first.submissionsApplied()).isEqualTo(1);
        assertThat(fixture.messagesLeft()).isEqualTo(1);
        fixture.clock().advance(Duration.ofMinutes(1));
        RunSummary next = newRun(FaultInjector.NONE).run();
        assertThat(next.submissionsApplied()).isEqualTo(1);
        assertThat(fixture.messagesLeft()).isZero();
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void aRunStoppedByItsBudgetDoesNotCountTheLatestTableAsCurrent() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        send("AE", Duration.ZERO, PackageChange.set("job_2", 2));
        send("AE", Duration.ZERO, PackageChange.set("job_3", 3));

        RunSummary budgeted = newRun(FaultInjector.NONE, properties().toBuilder().receivers(1).maxMessages(2).build()).run();

        assertThat(budgeted.submissionsApplied()).isEqualTo(2);
        StackStatus status = newRun(FaultInjector.NONE).status();
        assertThat(status.latestCurrentAsOf()).as("a message is left: the table is not known to be current").isNull();
        fixture.clock().advance(Duration.ofMinutes(2));
        Instant secondStart = fixture.clock().instant();
        assertThat(newRun(FaultInjector.NONE).status().latestStalenessSeconds()).as("from the last publication").isEqualTo(120);

        RunSummary rest = newRun(FaultInjector.NONE).run();

        assertThat(rest.submissionsApplied()).isEqualTo(1);
        assertThat(newRun(FaultInjector.NONE).status().latestCurrentAsOf()).isEqualTo(secondStart);
        assertExactlyOnceAndLatestCorrect();
    }

    private List<String> allKeys() {
        return fixture.store().list("").stream().map(ObjectSummary::key).sorted().toList();
    }

    @ParameterizedTest
    @EnumSource(value = FaultPoint.class, mode = EnumSource.Mode.MATCH_NONE, names = "AFTER_COMPACTION_.*|BEFORE_OLD_FILES_DELETE")
    void crashAtAnyPointThenNormalRunAppliesEverySubmissionExactlyOnce(FaultPoint point) {
        sendMixedBacklog();
        fixture.clock().advance(Duration.ofMinutes(1));

        assertThatThrownBy(() -> newRun(crashAt(point)).run()).isInstanceOf(SimulatedCrash.class);

        // The crashed run kept its lease; the next scheduled run comes after it expired.
        passCrashedLease();
        send("CMF", Duration.ZERO, PackageChange.set("late_job", 77, 78));
        RunSummary recovery = newRun(FaultInjector.NONE).run();

        assertThat(recovery.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertExactlyOnceAndLatestCorrect();
        assertThat(fixture.messagesLeft()).isZero();
        assertThat(fixture.stagingTables()).isEmpty();
        assertThat(manifestStates().values()).allMatch(s -> s == ManifestState.DONE || s == ManifestState.ABORTED);
        boolean crashedBeforeManifest = point == FaultPoint.DURING_DRAIN;
        boolean crashedBeforeCommit = point == FaultPoint.AFTER_UPLOAD || point == FaultPoint.AFTER_MANIFEST_PENDING
                || point == FaultPoint.BEFORE_COMMIT;
        assertThat(recovery.rolledBack()).hasSize(crashedBeforeCommit ? 1 : 0);
        assertThat(recovery.recoveredCommitted()).hasSize(crashedBeforeCommit || crashedBeforeManifest ? 0 : 1);
    }

    @Test
    void crashScenarioRunsThroughTheSpringBatchJobWithItsStepsAndExitStatus() {
        sendMixedBacklog();
        fixture.clock().advance(Duration.ofMinutes(1));

        BatchCommands.Launched crashed = newRun(crashAt(FaultPoint.AFTER_MANIFEST_COMMIT)).launch(Command.RUN, false);

        assertThat(crashed.execution().getJobInstance().getJobName()).isEqualTo("run");
        assertThat(stepNames(crashed)).containsExactly("lease", "recover", "check-latest", "check-read-model", "drain", "write-pit-files", "commit-manifest");
        assertThat(crashed.execution().getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(crashed.execution().getExitStatus().getExitCode()).isEqualTo(ExitStatus.FAILED.getExitCode());
        assertThat(crashed.execution().getAllFailureExceptions()).singleElement().isInstanceOf(SimulatedCrash.class);
        assertThatThrownBy(crashed::summaryOrCrash).isInstanceOf(SimulatedCrash.class);
        assertThat(step(crashed, "drain").getReadCount()).isEqualTo(sent.size());
        assertThat(step(crashed, "drain").getWriteCount()).isEqualTo(sent.size());

        BatchCommands.Launched blocked = newRun(FaultInjector.NONE).launch(Command.RUN, false);

        assertThat(stepNames(blocked)).containsExactly("lease");
        assertThat(blocked.execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(blocked.execution().getExitStatus().getExitCode()).isEqualTo("LEASE_HELD");
        assertThat(blocked.summary().outcome()).isEqualTo(RunSummary.Outcome.LEASE_HELD);
        Instant expiry = START.plus(Duration.ofMinutes(1)).plus(properties().leaseTtl());
        assertThat(blocked.summary().sentence()).isEqualTo("Run " + crashed.summary().runId() + " holds the lease since "
                + "2026-11-23 03:01:00Z, so this run did nothing. Its lease expires at " + expiry.toString().replace('T', ' ')
                + " (in " + properties().leaseTtl().toSeconds() + " s) unless it renews it: a live run renews it every few "
                + "seconds, a crashed one does not. The next scheduled run after that goes ahead.");

        passCrashedLease();
        BatchCommands.Launched recovered = newRun(FaultInjector.NONE).launch(Command.RUN, false);

        assertRunSteps(stepNames(recovered));
        assertThat(recovered.execution().getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(recovered.execution().getExitStatus().getExitCode()).isEqualTo(ExitStatus.COMPLETED.getExitCode());
        assertThat(step(recovered, "recover").getWriteCount()).as("commits carried").isEqualTo(1);
        assertThat(step(recovered, "drain").getReadCount()).isEqualTo(sent.size());
        assertThat(step(recovered, "drain").getFilterCount()).as("already committed, only deleted").isEqualTo(sent.size());
        assertThat(step(recovered, "delete-messages").getWriteCount()).isEqualTo(sent.size());
        assertThat(recovered.summary().recoveredCommitted()).containsExactly(crashed.summary().runId());
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void aLostCatalogIsRepairedByBootstrapAndTheNextRunKeepsEveryPackage() {
        sendMixedBacklog();
        fixture.clock().advance(Duration.ofMinutes(1));
        RunSummary first = newRun(FaultInjector.NONE).run();
        Set<LatestRow> before = new HashSet<>(fixture.latestTable());
        fixture.loseCatalog();

        RunSummary bootstrap = newRun(FaultInjector.NONE).bootstrap();
        Submission late = send("AE", Duration.ZERO, PackageChange.set("job_9", 9));
        fixture.clock().advance(Duration.ofMinutes(1));
        RunSummary next = newRun(FaultInjector.NONE).run();

        assertThat(bootstrap.partitionsRegistered()).isEqualTo(3);
        assertThat(bootstrap.sentence()).isEqualTo("The database and both tables are ready. The store already held data: 3 PIT "
                + "partitions registered, and a new latest table points at version " + first.runId() + ", the last one published.");
        assertThat(next.outcome()).as(next.line()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(fixture.latestTable()).hasSize(before.size() + 1).containsAll(before)
                .contains(new LatestRow("AE", "job_9", 9, late.id().toString()));
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void aRebuildThatWouldLosePackagesIsRefusedAndTheFullRebuildRepairs() {
        sendMixedBacklog();
        fixture.clock().advance(Duration.ofMinutes(1));
        RunSummary first = newRun(FaultInjector.NONE).run();
        Set<LatestRow> before = new HashSet<>(fixture.latestTable());
        fixture.loseCatalog();
        // The tables recreated by hand: the latest table at its version, the PIT table without its partitions.
        fixture.engine().execute(fixture.statements().createDatabase());
        fixture.engine().execute(fixture.statements().createPitTable());
        fixture.engine().execute(fixture.statements().createLatestTable(StorageLayout.latestVersionPrefix(first.runId()),
                List.of(BusinessUnit.of("AE"), BusinessUnit.of("CMF"), BusinessUnit.of("FX"))));
        fixture.clock().advance(Duration.ofMinutes(1));

        RunSummary refused = newRun(FaultInjector.NONE).rebuildLatest(false);

        assertThat(refused.outcome()).isEqualTo(RunSummary.Outcome.FAILED);
        assertThat(refused.failure()).contains("latest version " + refused.runId() + " would lose 3 of the 3 packages of the "
                + "current latest table (3 missing, 0 of them deleted by tombstones), so it was not swapped.")
                .contains("Repair: rebuild-latest --full");
        assertThat(refused.sentence()).startsWith("The run committed 0 submissions to the PIT table, then failed: latest version");
        assertThat(new HashSet<>(fixture.latestTable())).isEqualTo(before);
        assertThat(fixture.stagingTables()).isEmpty();
        assertThat(PitFiles.keys(fixture.store())).noneMatch(k -> k.contains(refused.runId()));

        fixture.clock().advance(Duration.ofMinutes(1));
        RunSummary repaired = newRun(FaultInjector.NONE).rebuildLatest(true);

        assertThat(repaired.outcome()).as(repaired.line()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(new HashSet<>(fixture.latestTable())).isEqualTo(before);
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void statusShowsTheLeaseTheQueueTheOpenRunAndTheLastRuns() {
        send("AE", Duration.ZERO, PackageChange.set("job_0", 1));
        fixture.clock().advance(Duration.ofMinutes(1));
        RunSummary first = newRun(FaultInjector.NONE).run();
        sendMixedBacklog();
        fixture.clock().advance(Duration.ofMinutes(1));
        BatchCommands.Launched crashed = newRun(crashAt(FaultPoint.AFTER_MANIFEST_COMMIT)).launch(Command.RUN, false);
        String crashedId = crashed.summary().runId();

        StackStatus status = newRun(FaultInjector.NONE).status();

        assertThat(status.leaseHolder()).isEqualTo(crashedId);
        assertThat(status.leaseSince()).isEqualTo(new RunId(crashedId).startedAt());
        assertThat(status.leaseExpiresAt()).isEqualTo(fixture.clock().instant().plus(properties().leaseTtl()));
        assertThat(status.openRuns()).containsExactly(crashedId);
        assertThat(status.queueVisible() + status.queueInFlight()).isEqualTo(5);
        assertThat(status.deadLettered()).isZero();
        assertThat(status.latestVersion()).isEqualTo(first.runId());
        assertThat(status.lastRuns()).containsOnlyKeys("completed");
        assertThat(status.lastRuns().get("completed")).containsEntry("run_id", first.runId()).containsEntry("summary", first.sentence());
        assertThat(status.oldestUnappliedAcceptedAt()).as("the backlog's submission of the day before")
                .isEqualTo(START.minus(Duration.ofHours(5)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(status.sentence()).startsWith("Run " + crashedId + " holds the lease until ");

        passCrashedLease();
        RunSummary recovered = newRun(FaultInjector.NONE).run();
        StackStatus after = newRun(FaultInjector.NONE).status();

        assertThat(after.leaseHolder()).isNull();
        assertThat(after.openRuns()).isEmpty();
        assertThat(after.queueVisible() + after.queueInFlight()).isZero();
        assertThat(after.oldestUnappliedAcceptedAt()).isNull();
        assertThat(after.latestVersion()).isEqualTo(recovered.runId());
        assertThat(after.latestAgeSeconds()).isZero();
        assertThat(after.lastRuns().get("completed")).containsEntry("run_id", recovered.runId());
    }

    @Test
    void aCommittedRunOlderThanTheManifestLookbackIsFinishedAndItsSubmissionsAreNotAppliedTwice() {
        sendMixedBacklog();
        fixture.clock().advance(Duration.ofMinutes(1));
        BatchCommands.Launched crashed = newRun(crashAt(FaultPoint.AFTER_MANIFEST_COMMIT)).launch(Command.RUN, false);
        // Longer than the day scan (today and yesterday) and than the 14-day manifest lookback: only the open-run
        // index still knows the run, and only its carried manifest tells the redelivered messages apart.
        fixture.clock().advance(Duration.ofDays(15));
        fixture.awaitRedelivery();

        RunSummary next = newRun(FaultInjector.NONE).run();

        assertThat(next.recoveredCommitted()).containsExactly(crashed.summary().runId());
        assertThat(next.alreadyCommitted()).isEqualTo(sent.size());
        assertThat(manifest(crashed.summary().runId()).state()).isEqualTo(ManifestState.DONE);
        assertThat(fixture.store().list(StorageLayout.OPEN_RUNS_PREFIX)).isEmpty();
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void redeliveryAfterCommitWritesNoDuplicateRows() {
        sendMixedBacklog();
        fixture.clock().advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> newRun(crashAt(FaultPoint.BEFORE_DELETE)).run()).isInstanceOf(SimulatedCrash.class);
        passCrashedLease();

        RunSummary next = newRun(FaultInjector.NONE).run();

        assertThat(next.alreadyCommitted()).isEqualTo(sent.size());
        assertThat(next.submissionsApplied()).isZero();
        assertThat(next.rowsWritten()).isZero();
        assertThat(next.latestVersion()).isEqualTo(next.runId());
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void crashWhileTheMessagesAreDeletedLosesNoSubmissionAndWritesNoDuplicate() {
        // 25 submissions: three delete batches, deleted one at a time by the one receiver thread.
        for (int i = 0; i < 25; i++) {
            send(i % 2 == 0 ? "AE" : "CMF", Duration.ofSeconds(i), PackageChange.set("job_" + (i % 7), 100 + i, 200 + i));
        }
        fixture.clock().advance(Duration.ofMinutes(1));

        // The process dies once the first batch is deleted: after the commit, before the partitions and the rebuild.
        BatchCommands.Launched crashed = newRun(crashAt(FaultPoint.DURING_DELETE), properties().toBuilder().receivers(1).build())
                .launch(Command.RUN, false);

        String crashedRun = crashed.summary().runId();
        assertThat(crashed.execution().getAllFailureExceptions()).singleElement().isInstanceOf(SimulatedCrash.class);
        assertThat(step(crashed, "delete-messages").getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(stepNames(crashed)).doesNotContain("register-partitions", "rebuild-latest", "finish-compactions", "publish-event");
        assertThat(manifest(crashedRun).state()).isEqualTo(ManifestState.COMMITTED);
        assertThat(manifest(crashedRun).latestVersion()).isNull();

        passCrashedLease();
        send("FX", Duration.ZERO, PackageChange.set("late_job", 7, 8));
        RunSummary next = newRun(FaultInjector.NONE).run();

        assertThat(next.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(next.recoveredCommitted()).containsExactly(crashedRun);
        assertThat(next.messagesReceived()).as("the 15 not deleted, and the late one").isEqualTo(16);
        assertThat(next.alreadyCommitted()).isEqualTo(15);
        assertThat(next.submissionsApplied()).isEqualTo(1);
        assertThat(next.rowsWritten()).isEqualTo(2);
        assertThat(next.latestVersion()).isEqualTo(next.runId());
        assertThat(fixture.messagesLeft()).isZero();
        assertThat(fixture.stagingTables()).isEmpty();
        assertThat(manifestStates()).containsOnly(Map.entry(crashedRun, ManifestState.DONE),
                Map.entry(next.runId(), ManifestState.DONE));
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void secondRunStartedWhileTheFirstHoldsTheLeaseExitsCleanly() {
        sendMixedBacklog();
        fixture.clock().advance(Duration.ofMinutes(1));
        AtomicReference<RunSummary> second = new AtomicReference<>();
        List<String> templatesOfSecond = new ArrayList<>();
        FaultInjector startSecondRunMidway = point -> {
            if (point == FaultPoint.AFTER_MANIFEST_PENDING && second.get() == null) {
                int before = fixture.templatesIssued().size();
                second.set(CompletableFuture.supplyAsync(() -> newRun(FaultInjector.NONE).run()).join());
                templatesOfSecond.addAll(fixture.templatesIssued().subList(before, fixture.templatesIssued().size()));
            }
        };

        RunSummary first = newRun(startSecondRunMidway).run();

        assertThat(second.get().outcome()).isEqualTo(RunSummary.Outcome.LEASE_HELD);
        assertThat(second.get().messagesReceived()).isZero();
        assertThat(templatesOfSecond).isEmpty();
        assertThat(first.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(first.submissionsApplied()).isEqualTo(sent.size());
        // Equal to a single run's result: one file per partition, every row once.
        Set<PitPartition> partitions = new HashSet<>();
        sent.forEach(s -> partitions.add(new PitPartition(s.businessUnit(), s.requestDate())));
        assertThat(PitFiles.keys(fixture.store())).hasSize(partitions.size())
                .allMatch(k -> k.endsWith(first.runId() + "-0.parquet"));
        assertExactlyOnceAndLatestCorrect();
        assertThat(manifestStates()).containsExactly(Map.entry(first.runId(), ManifestState.DONE));
    }

    @Test
    void poisonMessageGoesToTheDeadLetterQueueAndTheRestIsApplied() {
        for (int i = 0; i < 1000; i++) {
            send(i % 2 == 0 ? "AE" : "CMF", Duration.ofMillis(i), PackageChange.set("job_" + (i % 37), i + 1, i + 5000));
        }
        fixture.queue().enqueue(List.of(new QueueMessage("{not json", Map.of())));
        fixture.clock().advance(Duration.ofMinutes(1));

        RunSummary summary = newRun(FaultInjector.NONE).run();

        assertThat(summary.submissionsApplied()).isEqualTo(1000);
        assertThat(summary.deadLettered()).isEqualTo(1);
        assertThat(fixture.deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.body()).isEqualTo("{not json");
            assertThat(dead.reason()).startsWith("message body is not valid JSON");
        });
        assertThat(fixture.messagesLeft()).isZero();
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void unknownSchemaVersionIsDeadLetteredWithItsReason() {
        fixture.queue().enqueue(List.of(new QueueMessage("{\"schema_version\":99}", Map.of())));
        Submission good = send("FX", Duration.ZERO, PackageChange.set("job_1", 1));

        RunSummary summary = newRun(FaultInjector.NONE).run();

        assertThat(summary.submissionsApplied()).isEqualTo(1);
        assertThat(fixture.deadLetters()).extracting(d -> d.reason())
                .containsExactly("unknown schema_version 99; this batch reads version 1");
        assertThat(fixture.latestTable()).containsExactly(new LatestRow("FX", "job_1", 1, good.id().toString()));
    }

    @Test
    void aUnitRemovedFromTheRegistryAfterTheApiAcceptedItsSubmissionsIsStillApplied() {
        Submission accepted = send("CMF", Duration.ZERO, PackageChange.set("risk", 10, 20));
        Submission other = send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        BatchProperties registryWithoutCmf = properties().toBuilder().units("AE", "FX").build();

        RunSummary summary = newRun(FaultInjector.NONE, registryWithoutCmf).run();

        assertThat(summary.submissionsApplied()).isEqualTo(2);
        assertThat(summary.unitsOutsideRegistry()).containsExactly("CMF");
        assertThat(summary.deadLettered()).isZero();
        assertThat(fixture.deadLetters()).isEmpty();
        assertThat(fixture.latestTable()).containsExactlyInAnyOrder(
                new LatestRow("CMF", "risk", 10, accepted.id().toString()), new LatestRow("CMF", "risk", 20, accepted.id().toString()),
                new LatestRow("AE", "job_1", 1, other.id().toString()));
        assertThat(fixture.messagesLeft()).isZero();
    }

    @Test
    void deadLettersAreListedWithTheirReasonAndARedriveAppliesThem() {
        Submission held = new Submission(SubmissionId.generate(START, random), START, "alice", BusinessUnit.of("CMF"),
                List.of(PackageChange.set("risk", 7)));
        // What an earlier batch did with a unit missing from its registry: the message waits in the dead-letter queue.
        fixture.queue().enqueue(List.of(messages.toMessage(held, fixture.queue().maxMessageBytes())));
        fixture.queue().deadLetter(receiveOne(), "unknown business unit CMF");
        SubmissionId poison = SubmissionId.generate(START, random);
        fixture.queue().enqueue(List.of(new QueueMessage("{not json", Map.of(SubmissionMessages.ATTR_SUBMISSION_ID, poison.toString()))));
        fixture.clock().advance(Duration.ofMinutes(1));

        RunSummary run = newRun(FaultInjector.NONE).run();

        assertThat(run.deadLettered()).isEqualTo(1);
        JsonNode record = JsonMapper.builder().build().readTree(
                fixture.store().get(StorageLayout.deadLetterKey(poison)).orElseThrow().content());
        assertThat(record.get("submission_id").asString()).isEqualTo(poison.toString());
        assertThat(record.get("reason").asString()).startsWith("message body is not valid JSON");

        RunSummary listed = newRun(FaultInjector.NONE).dlqList();

        assertThat(listed.sentence()).isEqualTo("The dead-letter queue holds 2 messages; each one's reason is listed. Fix the "
                + "cause, then send them back with dlq redrive --all or by submission id.");
        assertThat(listed.deadLetters()).extracting(DeadLetter::submissionId)
                .containsExactlyInAnyOrder(held.id().toString(), poison.toString());
        assertThat(listed.deadLetters()).filteredOn(d -> held.id().toString().equals(d.submissionId()))
                .singleElement().satisfies(d -> {
                    assertThat(d.reason()).isEqualTo("unknown business unit CMF");
                    assertThat(d.businessUnit()).isEqualTo("CMF");
                });
        assertThat(newRun(FaultInjector.NONE).dlqList().deadLetters()).as("listing keeps them").hasSize(2);

        String missing = SubmissionId.generate(START, random).toString();
        RunSummary redriven = newRun(FaultInjector.NONE).dlqRedrive(false, List.of(held.id().toString(), missing));

        assertThat(redriven.deadLetters()).extracting(DeadLetter::submissionId).containsExactly(held.id().toString());
        assertThat(redriven.notFound()).containsExactly(missing);
        assertThat(redriven.sentence()).isEqualTo("Sent 1 dead letter back to the submission queue; the next run applies them. "
                + "Not in the dead-letter queue: " + missing + ".");
        fixture.clock().advance(Duration.ofMinutes(1));
        RunSummary applied = newRun(FaultInjector.NONE).run();
        assertThat(applied.submissionsApplied()).isEqualTo(1);
        assertThat(fixture.latestTable()).containsExactly(new LatestRow("CMF", "risk", 7, held.id().toString()));
        assertThat(newRun(FaultInjector.NONE).dlqList().deadLetters()).extracting(DeadLetter::submissionId)
                .containsExactly(poison.toString());
        assertThat(fixture.messagesLeft()).isZero();
    }

    @Test
    void aMessageSqsMovedToTheDeadLetterQueueItselfGetsAReasonRecordOnce() {
        Submission moved = new Submission(SubmissionId.generate(START, random), START, "alice", BusinessUnit.of("AE"),
                List.of(PackageChange.set("job_1", 1)));
        // What SQS does after maxReceiveCount receives: the message as it was, in the dead-letter queue, with no reason.
        fixture.queue().deadLetterQueue().enqueue(List.of(messages.toMessage(moved, fixture.queue().maxMessageBytes())));
        Submission parked = new Submission(SubmissionId.generate(START, random), START, "alice", BusinessUnit.of("AE"),
                List.of(PackageChange.set("job_2", 2)));
        fixture.queue().enqueue(List.of(messages.toMessage(parked, fixture.queue().maxMessageBytes())));
        fixture.queue().deadLetter(receiveOne(), "the batch's own reason");
        fixture.clock().advance(Duration.ofMinutes(1));

        RunSummary first = newRun(FaultInjector.NONE).run();

        assertThat(first.readModel().deadLettersRecorded()).isEqualTo(1);
        JsonNode record = JsonMapper.builder().build().readTree(
                fixture.store().get(StorageLayout.deadLetterKey(moved.id())).orElseThrow().content());
        assertThat(record.get("submission_id").asString()).isEqualTo(moved.id().toString());
        assertThat(record.get("reason").asString()).startsWith("SQS moved it to the dead-letter queue after too many receives");
        assertThat(fixture.store().get(StorageLayout.deadLetterKey(parked.id()))).as("a message the batch moved carries its reason")
                .isEmpty();
        byte[] written = fixture.store().get(StorageLayout.deadLetterKey(moved.id())).orElseThrow().content();

        fixture.clock().advance(Duration.ofMinutes(1));
        RunSummary second = newRun(FaultInjector.NONE).run();

        assertThat(second.readModel().deadLettersRecorded()).as("recorded once").isZero();
        assertThat(fixture.store().get(StorageLayout.deadLetterKey(moved.id())).orElseThrow().content()).isEqualTo(written);
        assertThat(newRun(FaultInjector.NONE).dlqList().deadLetters()).as("both are visible in the dead-letter queue again")
                .extracting(DeadLetter::submissionId).containsExactlyInAnyOrder(moved.id().toString(), parked.id().toString());
    }

    @Test
    void claimCheckPayloadIsAppliedAndDeletedOnlyAfterTheCommit() {
        long[] ids = new Random(3).longs(40_000, 1_000_000_000_000L, 9_000_000_000_000_000L).toArray();
        Submission large = send("AE", Duration.ZERO, PackageChange.set("big_job", ids));
        String payloadKey = StorageLayout.payloadKey(large.id());
        assertThat(fixture.store().get(payloadKey)).as("sent by claim check").isPresent();

        assertThatThrownBy(() -> newRun(crashAt(FaultPoint.BEFORE_DELETE)).run()).isInstanceOf(SimulatedCrash.class);
        assertThat(fixture.store().get(payloadKey)).as("kept until the messages are deleted").isPresent();
        passCrashedLease();
        RunSummary next = newRun(FaultInjector.NONE).run();

        assertThat(next.alreadyCommitted()).isEqualTo(1);
        assertThat(fixture.store().get(payloadKey)).isEmpty();
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void claimCheckPayloadsCountTowardTheDrainByteBudget() {
        // Twelve submissions of ~400 KB each travel as claim checks: the pointer messages total ~2 KB, the payloads ~5 MB.
        Random random = new Random(8);
        for (int i = 0; i < 12; i++) {
            send("AE", Duration.ofSeconds(i), PackageChange.set("big_" + i, random.longs(20_000, 1_000_000_000_000L, 9_000_000_000_000_000L).toArray()));
        }
        // One receiver, so the budget is checked between receives of one thread (with more, each may overshoot by a batch).
        BatchProperties oneMegabyte = properties().toBuilder().receivers(1).maxBytes(1024L * 1024).build();

        RunSummary summary = newRun(FaultInjector.NONE, oneMegabyte).run();

        // The first receive (10 messages) already spends the budget, so the run stops before the next one.
        assertThat(summary.submissionsApplied()).isEqualTo(10);
        assertThat(newRun(FaultInjector.NONE, oneMegabyte).run().submissionsApplied()).isEqualTo(2);
    }

    @Test
    void olderSubmissionDeliveredInALaterRunDoesNotReplaceTheNewerOne() {
        Instant olderAt = START.plusSeconds(10);
        Submission newer = send("AE", Duration.ofMinutes(1), PackageChange.set("job_1", 7));
        newRun(FaultInjector.NONE).run();
        Submission older = new Submission(SubmissionId.generate(olderAt, random), olderAt, "bob", BusinessUnit.of("AE"),
                List.of(PackageChange.set("job_1", 5, 6)));
        fixture.clock().advance(Duration.ofMinutes(5));
        enqueue(older);

        RunSummary late = newRun(FaultInjector.NONE).run();

        assertThat(late.submissionsApplied()).isEqualTo(1);
        assertThat(fixture.latestTable()).containsExactly(new LatestRow("AE", "job_1", 7, newer.id().toString()));
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void tombstoneRemovesThePackageFromLatest() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1, 2), PackageChange.set("job_2", 3));
        newRun(FaultInjector.NONE).run();
        fixture.clock().advance(Duration.ofMinutes(5));
        Submission delete = send("AE", Duration.ZERO, PackageChange.delete("job_1"));

        newRun(FaultInjector.NONE).run();

        assertThat(fixture.latestTable()).extracting(LatestRow::packageName).containsOnly("job_2");
        assertThat(PitFiles.rowsIn(fixture.store(), fixture.registeredPartitions()))
                .filteredOn(r -> r.submissionId().equals(delete.id()))
                .singleElement().satisfies(r -> assertThat(r.isTombstone()).isTrue());
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void deletingEveryPackageLeavesAnEmptyLatestTableAndTheRunCompletes() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1, 2));
        newRun(FaultInjector.NONE).run();
        fixture.clock().advance(Duration.ofMinutes(5));
        send("AE", Duration.ZERO, PackageChange.delete("job_1"));

        RunSummary summary = newRun(FaultInjector.NONE).run();

        assertThat(summary.outcome()).as(summary.line()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(summary.latestVersion()).isEqualTo(summary.runId());
        assertThat(fixture.latestTable()).isEmpty();
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void duplicateDeliveryWithinOneRunIsAppliedOnce() {
        Submission once = send("AE", Duration.ZERO, PackageChange.set("job_1", 1, 2));
        enqueue(once);

        RunSummary summary = newRun(FaultInjector.NONE).run();

        assertThat(summary.submissionsApplied()).isEqualTo(1);
        assertThat(summary.duplicatesDeleted()).isEqualTo(1);
        assertThat(fixture.messagesLeft()).isZero();
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void failedVerificationLeavesTheOldLatestAndTheNextRunRebuilds() {
        refusedVerificationLeavesTheOldLatestAndTheNextRunRebuilds(this::failNextVerification, "failed verification");
    }

    @Test
    void aVerificationAnswerWithNoRowFailsTheRunAndLeavesTheOldLatest() {
        refusedVerificationLeavesTheOldLatestAndTheNextRunRebuilds(engine::dropNextVerificationRow,
                "could not be verified: its check answered 0 rows instead of one (column row_count)");
    }

    /** A second run's verification sabotaged by {@code sabotage}: it fails with {@code failure} and swaps nothing. */
    private void refusedVerificationLeavesTheOldLatestAndTheNextRunRebuilds(Runnable sabotage, String failure) {
        Submission first = send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        newRun(FaultInjector.NONE).run();
        fixture.clock().advance(Duration.ofMinutes(5));
        send("AE", Duration.ZERO, PackageChange.set("job_1", 2));
        sabotage.run();

        RunSummary failed = newRun(FaultInjector.NONE).run();

        assertThat(failed.outcome()).isEqualTo(RunSummary.Outcome.FAILED);
        assertThat(failed.failure()).contains(failure);
        assertThat(fixture.latestTable()).containsExactly(new LatestRow("AE", "job_1", 1, first.id().toString()));
        assertThat(fixture.stagingTables()).isEmpty();
        assertThat(fixture.store().list(StorageLayout.latestVersionPrefix(failed.runId()))).isEmpty();
        // The lease was released, so the next run starts at once and carries the committed run.
        fixture.clock().advance(Duration.ofMinutes(5));
        RunSummary next = newRun(FaultInjector.NONE).run();
        assertThat(next.recoveredCommitted()).containsExactly(failed.runId());
        assertExactlyOnceAndLatestCorrect();
    }

    @Test
    void rebuildLatestOnDemandRebuildsWithoutDraining() {
        Submission only = send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        newRun(FaultInjector.NONE).run();
        send("AE", Duration.ofMinutes(1), PackageChange.set("job_1", 9));
        fixture.clearStatements();
        fixture.clock().advance(Duration.ofMinutes(5));

        RunSummary rebuilt = newRun(FaultInjector.NONE).rebuildLatest(false);

        assertThat(rebuilt.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(rebuilt.messagesReceived()).isZero();
        assertThat(rebuilt.latestVersion()).isEqualTo(rebuilt.runId());
        assertThat(fixture.templatesIssued()).as("an on-demand rebuild reads all of PIT, so the read model is published in full")
                .containsExactlyElementsOf(concat(REBUILD, List.of("athena/read_model_full")));
        assertThat(fixture.latestTable()).containsExactly(new LatestRow("AE", "job_1", 1, only.id().toString()));
        ReadModelCheck.assertAgreesWithLatestTable(fixture, List.of("AE"));
        assertThat(fixture.messagesLeft()).isEqualTo(1);
        assertThat(manifest(rebuilt.runId()).state()).isEqualTo(ManifestState.DONE);
    }

    @Test
    void oldLatestVersionsAreDeletedAfterTheGracePeriodKeepingTheNewest() {
        BatchProperties props = BatchProperties.builder().units("AE").latestKeepVersions(2).latestGracePeriod(Duration.ofHours(1)).build();
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            send("AE", Duration.ZERO, PackageChange.set("job_1", i + 1));
            runIds.add(newRun(FaultInjector.NONE, props).run().runId());
            fixture.clock().advance(Duration.ofMinutes(10));
        }
        fixture.clock().advance(Duration.ofHours(2));
        send("AE", Duration.ZERO, PackageChange.set("job_1", 100));

        RunSummary last = newRun(FaultInjector.NONE, props).run();
        runIds.add(last.runId());

        assertThat(last.versionsExpired()).isEqualTo(3);
        Set<String> versions = new HashSet<>();
        fixture.store().list(StorageLayout.LATEST_PREFIX).forEach(o -> versions.add(o.key().split("/")[1]));
        assertThat(versions).containsExactlyInAnyOrder("version=" + runIds.get(3), "version=" + runIds.get(4),
                "version=" + runIds.get(5));
    }

    @Test
    void largePartitionRollsToNumberedFilesPastTheTargetSizeEachSorted() {
        BatchProperties props = BatchProperties.builder().units("AE").targetFileBytes(1024L * 1024).build();
        Random ids = new Random(7);
        for (int s = 0; s < 20; s++) {
            long[] refs = ids.longs(20_000, 1, 1L << 40).toArray();
            send("AE", Duration.ofSeconds(s), PackageChange.set("job_" + (s % 3), refs));
        }

        RunSummary summary = newRun(FaultInjector.NONE, props).run();

        assertThat(summary.filesWritten()).isGreaterThan(1);
        List<String> keys = PitFiles.keys(fixture.store());
        assertThat(keys).hasSize((int) summary.filesWritten());
        for (int n = 0; n < keys.size(); n++) {
            final int number = n;
            assertThat(keys).anyMatch(k -> k.endsWith(summary.runId() + "-" + number + ".parquet"));
        }
        // Only the last file of the partition may be below the target: files roll only past it.
        List<RunManifest.FileEntry> files = manifest(summary.runId()).files();
        assertThat(files.subList(0, files.size() - 1)).allMatch(f -> f.bytes() >= 1024L * 1024);
        Comparator<PitRow> order = Comparator.comparing((PitRow r) -> r.packageName().value())
                .thenComparing(r -> r.referenceId(), Comparator.nullsFirst(Comparator.naturalOrder()));
        for (String key : keys) {
            assertThat(PitFiles.read(fixture.store(), key)).isSortedAccordingTo(order);
        }
        assertExactlyOnceAndLatestCorrect();
    }

    // ------------------------------------------------------------------ helpers

    private ReceivedMessage receiveOne() {
        List<ReceivedMessage> received = new ArrayList<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> received.addAll(fixture.queue().receive(1, Duration.ofMinutes(1), Duration.ofSeconds(1))));
        return received.get(0);
    }

    /** The steps of a complete {@code run} that applied something, in the order they ran. */
    static void assertRunSteps(List<String> steps) {
        assertThat(steps).containsExactly("lease", "recover", "check-latest", "check-read-model", "drain", "write-pit-files", "commit-manifest",
                "delete-messages", "register-partitions", "detect-out-of-order", "rebuild-latest", "publish-read-model",
                "expire-old-versions", "record-dead-letters",
                "finish-compactions", "compact-partitions", "publish-event");
    }

    static FaultInjector crashAt(FaultPoint point) {
        return Crashes.at(point);
    }

    private void failNextVerification() {
        engine.failNextVerification();
    }

    /** A backlog over several units, dates and packages, with a tombstone and a replaced version. */
    private void sendMixedBacklog() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 123, 456), PackageChange.set("job_2", 1, 2, 3));
        send("AE", Duration.ofMinutes(1), PackageChange.set("job_1", 123));
        send("CMF", Duration.ofMinutes(2), PackageChange.set("risk", 10, 20));
        send("CMF", Duration.ofMinutes(3), PackageChange.delete("risk"));
        // Accepted the day before: a second request_date partition.
        Instant yesterday = START.minus(Duration.ofHours(5));
        Submission old = new Submission(SubmissionId.generate(yesterday, random), yesterday, "carol", BusinessUnit.of("FX"),
                List.of(PackageChange.set("fx_job", 5, 6, 7)));
        enqueue(old);
    }

    /**
     * Every sent submission's rows appear exactly once across the committed files; no file outside a
     * committed manifest; the latest table equals the latest computed here from the submissions alone.
     */
    protected void assertExactlyOnceAndLatestCorrect() {
        Set<String> committedFiles = Expected.committedFiles(fixture.store());
        assertThat(PitFiles.keys(fixture.store())).as("PIT files in the store are exactly the committed ones")
                .containsExactlyInAnyOrderElementsOf(committedFiles);
        List<PitRow> rows = new ArrayList<>();
        PitFiles.readAll(fixture.store(), committedFiles).values().forEach(rows::addAll);
        assertThat(PitFiles.rowsPerSubmission(rows)).isEqualTo(Expected.rowsPerSubmission(sent));
        Set<PitPartition> partitions = new HashSet<>();
        sent.forEach(s -> partitions.add(new PitPartition(s.businessUnit(), s.requestDate())));
        assertThat(fixture.registeredPartitions()).containsExactlyInAnyOrderElementsOf(partitions);
        // Set equality, not AssertJ's element matching: the latest table may hold tens of thousands of rows.
        assertThat(new HashSet<>(fixture.latestTable())).isEqualTo(Expected.latest(sent));
        ReadModelCheck.assertAgreesWithLatestTable(fixture, List.of("AE", "CMF", "FX"));
        ReadModelCheck.assertStatuses(fixture, sent, sent);
    }

    protected RunManifest manifest(String runId) {
        String key = StorageLayout.manifestKey(new RunId(runId));
        return new ManifestCodec().read(key, fixture.store().get(key).orElseThrow().content());
    }

    protected Map<String, ManifestState> manifestStates() {
        Map<String, ManifestState> states = new java.util.TreeMap<>();
        Expected.manifests(fixture.store()).forEach(m -> states.put(m.runId(), m.state()));
        return states;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
