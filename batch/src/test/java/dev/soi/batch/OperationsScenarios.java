package dev.soi.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.ops.StackStatus;
import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.run.Command;
import dev.soi.batch.run.FaultInjector;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.testing.Crashes;
import dev.soi.batch.testing.Crashes.SimulatedCrash;
import dev.soi.batch.testing.Expected;
import dev.soi.batch.testing.LatestRow;
import dev.soi.batch.testing.PitFiles;
import dev.soi.batch.testing.ReadModelCheck;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.PendingUpload;
import dev.soi.core.port.QueueException;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.port.WriteOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Operating the stack when things go wrong: {@code status} answers in every state and names each problem with its repair;
 * a clock that steps back neither holds a crashed run's lease nor shows a negative age; a damaged latest version is found
 * by the next run; submissions stamped out of order are counted; a full disk or an unreachable queue is named. Written
 * against a {@link dev.soi.batch.testing.BatchFixture}, like {@link MaterializeScenarios}; each case is a few runs.
 */
public abstract class OperationsScenarios extends ScenarioSupport {
    protected OperationsScenarios() {
        super(27);
    }

    private StackStatus status() {
        StackStatus status = newRun(FaultInjector.NONE).status();
        status.toMap(); // what the local endpoint and the Lambda answer: it must not fail either
        return status;
    }

    // ------------------------------------------------------------------ status answers in every state

    @Test
    void statusAnswersOnAFreshStackWithNothingToRepair() {
        StackStatus status = status();

        assertThat(status.problems()).isEmpty();
        assertThat(status.needsOperator()).isFalse();
        assertThat(status.latestVersion()).isNull();
        assertThat(status.latestStalenessSeconds()).isNull();
        assertThat(status.toMap()).containsEntry("needs_operator", false);
        assertThat(status.sentence()).isEqualTo("No run holds the lease. 0 messages wait in the queue, 0 are being applied; the "
                + "latest table is version initial (nothing published yet).");
    }

    @Test
    void statusAnswersWhileTheFirstRunIsInProgress() throws Exception {
        Submission first = send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        CountDownLatch opened = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        FaultInjector pauseAfterOpening = point -> {
            if (point == FaultPoint.AFTER_MANIFEST_PENDING) {
                opened.countDown();
                await().atMost(Duration.ofSeconds(30)).until(() -> proceed.await(0, TimeUnit.SECONDS));
            }
        };
        CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> newRun(pauseAfterOpening).run());
        await().atMost(Duration.ofSeconds(30)).until(() -> opened.await(0, TimeUnit.SECONDS));

        StackStatus during = status();

        proceed.countDown();
        assertThat(run.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(during.problems()).isEmpty();
        assertThat(during.leaseHolder()).isNotNull();
        assertThat(during.openRuns()).containsExactly(during.leaseHolder());
        assertThat(during.latestVersion()).isNull();
        assertThat(during.oldestUnappliedAcceptedAt()).isEqualTo(first.acceptedAt());
        assertThat(during.sentence()).startsWith("Run " + during.leaseHolder() + " holds the lease until ")
                .endsWith("the latest table is version initial (nothing published yet). Unfinished runs " + during.leaseHolder()
                        + " are finished by the next run.");
    }

    @Test
    void aDamagedLeaseIsOneProblemNamingItAndItsRepair() {
        fixture.store().put(StorageLayout.LEASE_KEY, "{\"holder\":".getBytes(StandardCharsets.UTF_8));

        StackStatus status = status();

        assertThat(status.problems()).singleElement().asString().startsWith("the run lease _lease cannot be read (")
                .endsWith("so no run can start. Repair: if no run is active, delete _lease at the root of the data store "
                        + "(SOI_HOME/data/_lease locally, s3://<bucket>/<prefix>/_lease in AWS); the next run creates it anew");
        assertThat(status.needsOperator()).isTrue();
        assertThat(status.sentence()).startsWith("1 problem needs an operator (each names its repair). No run holds the lease. ");
    }

    @Test
    void damagedJournalRecordsAreProblemsNamingTheirKeysAndTheRestIsStillReported() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        RunSummary first = newRun(FaultInjector.NONE).run();
        send("AE", Duration.ofMinutes(1), PackageChange.set("job_2", 2));
        fixture.clock().advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> newRun(Crashes.at(FaultPoint.AFTER_MANIFEST_PENDING)).run()).isInstanceOf(SimulatedCrash.class);
        String crashed = fixture.store().list(StorageLayout.OPEN_RUNS_PREFIX).get(0).key().substring(StorageLayout.OPEN_RUNS_PREFIX.length());
        String manifestKey = StorageLayout.manifestKey(new RunId(crashed));
        for (String key : List.of(manifestKey, StorageLayout.LAST_DONE_KEY, StorageLayout.LATEST_CURRENT_KEY)) {
            fixture.store().put(key, "{\n  \"run_id\": ".getBytes(StandardCharsets.UTF_8));
        }

        StackStatus status = status();

        assertThat(status.problems()).hasSize(3);
        assertThat(status.problems().get(0)).startsWith("last-done record " + StorageLayout.LAST_DONE_KEY + " is not valid: ")
                .endsWith("Repair: delete it; the next run finds the last published version in today's manifests, or rebuilds "
                        + "the latest table from PIT, and writes it anew");
        assertThat(status.problems().get(1)).startsWith("latest-current record " + StorageLayout.LATEST_CURRENT_KEY + " is not valid: ")
                .endsWith("Repair: delete it; the next run that drains the queue to its end writes it anew");
        assertThat(status.problems().get(2)).startsWith("run manifest " + manifestKey + " is not valid: ")
                .contains("restore its previous version from the bucket's object versions");
        assertThat(status.problems()).allSatisfy(line -> assertThat(line).doesNotContain("\n"));
        assertThat(status.openRuns()).containsExactly(crashed);
        assertThat(status.leaseHolder()).isEqualTo(crashed);
        assertThat(status.lastRuns().get("completed")).containsEntry("run_id", first.runId());
        assertThat(status.queueVisible() + status.queueInFlight()).isEqualTo(1);
    }

    @Test
    void aRunFailingOnADamagedPitFileIsAProblemAndItsOpenRunIsNotPromisedToTheNextRun() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1, 2));
        RunSummary first = newRun(FaultInjector.NONE).run();
        String pitFile = PitFiles.keys(fixture.store()).iterator().next();
        byte[] whole = fixture.store().get(pitFile).orElseThrow().content();
        fixture.store().put(pitFile, Arrays.copyOf(whole, whole.length / 2));
        send("AE", Duration.ofMinutes(1), PackageChange.set("job_2", 3));
        fixture.clock().advance(Duration.ofMinutes(2));

        RunSummary failed = newRun(FaultInjector.NONE).run();
        StackStatus status = status();

        assertThat(failed.outcome()).isEqualTo(RunSummary.Outcome.FAILED);
        assertThat(status.openRuns()).containsExactly(failed.runId());
        assertThat(status.problems()).singleElement().asString()
                .startsWith("the last run, run " + failed.runId() + ", failed 0 s ago and none completed since: The run committed 1 "
                        + "submissions to the PIT table, then failed: ")
                .contains(pitFile).contains("that file is damaged: restore it from the bucket's object versions, then run "
                        + "rebuild-latest --full");
        assertThat(status.sentence()).endsWith("Unfinished runs " + failed.runId() + " stay open until a run succeeds.");
        assertThat(status.latestVersion()).isEqualTo(first.runId());
    }

    @Test
    void anUnreachableQueueIsOneProblemAndStatusStillReportsTheRest() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        RunSummary first = newRun(FaultInjector.NONE).run();
        SubmissionQueue unreachable = new RefusingQueue(fixture.queue(), new QueueException("ReceiveMessage on http://127.0.0.1:1/queue "
                + "failed: Connection refused", null));

        StackStatus status = new BatchCommands(portsWith(unreachable, fixture.store())).status();
        status.toMap();

        assertThat(status.problems()).singleElement().asString().isEqualTo("the submission queue cannot be used: ReceiveMessage on "
                + "http://127.0.0.1:1/queue failed: Connection refused. The API answers 503 and runs fail until it can. Repair: if the "
                + "cause names a full device, free space on it; otherwise check that the queue exists and this role may use it "
                + "(SOI_AWS_QUEUE_URL, SOI_AWS_DLQ_URL), or locally restart ./soi local");
        assertThat(status.queueVisible()).isNull();
        assertThat(status.latestVersion()).isEqualTo(first.runId());
        assertThat(status.sentence()).contains("The queue could not be read; the latest table is version " + first.runId());
    }

    @Test
    void aFullDiskIsNamedWithItsFolderByStatusAndByTheRunThatMeetsIt() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        String staging = fixture.store().location("") + ".staging";
        ObjectStore full = new FullStore(fixture.store(), staging);
        SubmissionQueue fullQueue = new RefusingQueue(fixture.queue(), new QueueException("the queue's folder /stack/queue cannot "
                + "persist a message", new IOException("No space left on device")));

        RunSummary failed = new BatchCommands(portsWith(fixture.queue(), full)).run();
        StackStatus status = new BatchCommands(portsWith(fullQueue, fixture.store())).status();

        assertThat(failed.outcome()).isEqualTo(RunSummary.Outcome.FAILED);
        assertThat(failed.failure()).contains("cannot stage a write in " + staging).contains("(No space left on device)");
        assertThat(failed.sentence()).contains("cannot stage a write in " + staging + " (No space left on device).");
        assertThat(status.problems()).singleElement().asString().startsWith("the submission queue cannot be used: the queue's "
                + "folder /stack/queue cannot persist a message (No space left on device). ");
    }

    // ------------------------------------------------------------------ one clock

    @Test
    void aCrashThenATenMinuteBackwardStepStillRecoversWithinTwoMinutes() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1, 2));
        send("CMF", Duration.ZERO, PackageChange.set("risk", 3));
        fixture.clock().advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> newRun(Crashes.at(FaultPoint.AFTER_MANIFEST_COMMIT)).run()).isInstanceOf(SimulatedCrash.class);

        fixture.clock().set(fixture.clock().instant().minus(Duration.ofMinutes(10)));
        passCrashedLease();
        RunSummary recovered = newRun(FaultInjector.NONE).run();

        assertThat(recovered.outcome()).as(recovered.line()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(recovered.recoveredCommitted()).hasSize(1);
        assertThat(new HashSet<>(fixture.latestTable())).isEqualTo(Expected.latest(sent));
        // The queue's own clock decides when the crashed run's messages come back (SQS's, not this host's); whenever they
        // do, a run only deletes them.
        fixture.clock().advance(Duration.ofMinutes(10));
        fixture.awaitRedelivery();
        assertThat(newRun(FaultInjector.NONE).run().submissionsApplied()).isZero();
        assertThat(fixture.messagesLeft()).isZero();
        assertThat(PitFiles.rowsPerSubmission(PitFiles.readAll(fixture.store(), Expected.committedFiles(fixture.store())).values()
                .stream().flatMap(List::stream).toList())).isEqualTo(Expected.rowsPerSubmission(sent));
    }

    @Test
    void afterTheClockStepsBackStatusShowsNoNegativeAgeNorAFalseClaimAndSaysWhy() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        RunSummary published = newRun(FaultInjector.NONE).run();
        fixture.clock().set(fixture.clock().instant().minus(Duration.ofSeconds(445)));

        StackStatus status = status();

        assertThat(status.latestAgeSeconds()).isZero();
        assertThat(status.latestStalenessSeconds()).isZero();
        assertThat(status.sentence()).contains("the latest table is version " + published.runId() + ", published 0 s ago.")
                .doesNotContain("held every submission");
        assertThat(status.problems()).isEmpty();
        assertThat(status.warnings()).singleElement().asString().startsWith("this clock reads " + fixture.clock().instant()
                + ", 445 s before ").contains(" was written (").contains("the clock stepped back");
    }

    // ------------------------------------------------------------------ damage to what readers read

    @Test
    void aLatestVersionChangedAfterItsSwapFailsTheNextRunNamingTheRepairAndStatusShowsIt() {
        Submission first = send("AE", Duration.ZERO, PackageChange.set("p8_2", 1, 2));
        RunSummary published = newRun(FaultInjector.NONE).run();
        String prefix = StorageLayout.latestVersionPrefix(published.runId());
        ObjectSummary file = fixture.store().list(prefix).get(0);
        byte[] whole = fixture.store().get(file.key()).orElseThrow().content();
        fixture.store().put(file.key(), Arrays.copyOf(whole, whole.length / 2));
        String damage = "latest version " + published.runId() + " (" + prefix + ") is not what its run published: " + file.key()
                + " is " + (whole.length / 2) + " bytes, " + whole.length + " were published. Readers of the latest table get "
                + "errors or miss rows, and no run applies anything until it is replaced. Repair: run rebuild-latest --full "
                + "(./soi rebuild-latest --full; Lambda {\"command\":\"rebuild-latest\",\"full\":true}) rebuilds it from PIT into a "
                + "new version";

        assertThat(status().problems()).containsExactly(damage);
        Submission second = send("AE", Duration.ofMinutes(1), PackageChange.set("p8_3", 3));
        fixture.clock().advance(Duration.ofMinutes(5));
        RunSummary quiet = newRun(FaultInjector.NONE).run();

        assertThat(quiet.outcome()).isEqualTo(RunSummary.Outcome.FAILED);
        assertThat(quiet.failure()).contains(damage);
        assertThat(quiet.messagesReceived()).as("nothing received while the version is damaged").isZero();
        assertThat(status().problems()).contains(damage).hasSize(2);

        fixture.clock().advance(Duration.ofMinutes(1));
        RunSummary repaired = newRun(FaultInjector.NONE).rebuildLatest(true);
        fixture.clock().advance(Duration.ofMinutes(1));
        RunSummary next = newRun(FaultInjector.NONE).run();

        assertThat(repaired.outcome()).as(repaired.line()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(next.outcome()).as(next.line()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(status().problems()).isEmpty();
        assertThat(fixture.latestTable()).containsExactlyInAnyOrder(new LatestRow("AE", "p8_2", 1, first.id().toString()),
                new LatestRow("AE", "p8_2", 2, first.id().toString()), new LatestRow("AE", "p8_3", 3, second.id().toString()));
    }

    @Test
    void aFileGoneFromTheLatestVersionOrAddedToItIsDamageToo() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        RunSummary published = newRun(FaultInjector.NONE).run();
        String prefix = StorageLayout.latestVersionPrefix(published.runId());
        String file = fixture.store().list(prefix).get(0).key();
        fixture.store().delete(List.of(file));
        fixture.store().put(prefix + "stray.parquet", new byte[7]);

        assertThat(status().problems()).singleElement().asString().contains("is not what its run published: " + file
                + " is missing; " + prefix + "stray.parquet (7 bytes) was not published. ");
        fixture.clock().advance(Duration.ofMinutes(5));
        assertThat(newRun(FaultInjector.NONE).run().failure()).contains(file + " is missing");
    }

    @Test
    void aDamagedReadModelIsFoundByTheNextRunWhichRepublishesItFromTheLatestTableAndStatusShowsIt() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1, 2), PackageChange.set("job_2", 3));
        send("CMF", Duration.ZERO, PackageChange.set("job_9", 9));
        newRun(FaultInjector.NONE).run();
        String truncated = StorageLayout.readModelPackageKey(BusinessUnit.of("AE"), PackageName.of("job_1"));
        String gone = StorageLayout.readModelPackageKey(BusinessUnit.of("AE"), PackageName.of("job_2"));
        String page = StorageLayout.readModelIndexPageKey(BusinessUnit.of("CMF"), 0);
        byte[] whole = fixture.store().get(truncated).orElseThrow().content();
        fixture.store().put(truncated, Arrays.copyOf(whole, whole.length / 2));
        fixture.store().delete(List.of(gone));
        fixture.store().put(page, "{\"business_unit\":".getBytes(StandardCharsets.UTF_8));
        String warning = "the read model (_read_model/) is not what the batch published: " + truncated + " is " + (whole.length / 2)
                + " bytes, " + whole.length + " were published; " + gone + " is missing; " + page + " cannot be read. GETs that "
                + "read these objects answer 503 until the read model is republished. Repair: the next run republishes it in "
                + "full (./soi run; Lambda {\"command\":\"run\"}); so does ./soi rebuild-latest --full";

        StackStatus damaged = status();
        assertThat(damaged.warnings()).containsExactly(warning);
        assertThat(damaged.problems()).as("the batch repairs it without an operator").isEmpty();
        fixture.clock().advance(Duration.ofMinutes(5));
        BatchCommands.Launched quiet = newRun(FaultInjector.NONE).launch(Command.RUN, false);

        assertThat(quiet.summary().outcome()).as(quiet.summary().line()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(quiet.summary().messagesReceived()).isZero();
        long republished = step(quiet, "check-read-model").getWriteCount();
        assertThat(republished).as("objects republished").isPositive();
        assertThat(quiet.summary().sentence()).isEqualTo("Nothing to apply: the queue was empty, so no table changed; the latest "
                + "table stays at version " + damaged.latestVersion() + ". The read model was damaged (the read model (_read_model/) "
                + "is not what the batch published: " + truncated + " is " + (whole.length / 2) + " bytes, " + whole.length
                + " were published; " + gone + " is missing; " + page + " cannot be read); republished it in full from latest "
                + "version " + damaged.latestVersion() + " (" + republished + " objects).");
        ReadModelCheck.assertAgreesWithLatestTable(fixture, List.of("AE", "CMF"));
        assertThat(status().warnings()).isEmpty();
        fixture.clock().advance(Duration.ofMinutes(5));
        assertThat(step(newRun(FaultInjector.NONE).launch(Command.RUN, false), "check-read-model").getWriteCount())
                .as("nothing to republish once repaired").isZero();
    }

    @Test
    void aRunWhoseLeaseWasTakenOverAfterItsSwapDeletesNoOldVersion() {
        BatchProperties props = BatchProperties.builder().units("AE").latestKeepVersions(1).latestGracePeriod(Duration.ofHours(1)).build();
        for (int i = 0; i < 3; i++) {
            send("AE", Duration.ZERO, PackageChange.set("job_1", i + 1));
            newRun(FaultInjector.NONE, props).run();
            fixture.clock().advance(Duration.ofMinutes(10));
        }
        fixture.clock().advance(Duration.ofHours(2));
        send("AE", Duration.ZERO, PackageChange.set("job_1", 100));
        List<String> before = latestVersionKeys();
        FaultInjector takenOver = point -> {
            if (point == FaultPoint.AFTER_READ_MODEL) {
                // The run stalled past its lease's TTL after publishing, and another run took the lease.
                fixture.clock().advance(props.leaseTtl().plusSeconds(1));
                assertThat(new ObjectStoreRunLease(fixture.store(), fixture.clock()).tryAcquire("intruder", props.leaseTtl())).isPresent();
            }
        };

        RunSummary stalled = newRun(takenOver, props).run();

        assertThat(stalled.outcome()).as(stalled.line()).isEqualTo(RunSummary.Outcome.FAILED);
        assertThat(stalled.failure()).contains("intruder");
        assertThat(latestVersionKeys()).as("no version deleted by a run that no longer holds the lease")
                .containsAll(before).hasSize(before.size() + 1);
    }

    private List<String> latestVersionKeys() {
        return fixture.store().list(StorageLayout.latestVersionsPrefix()).stream().map(ObjectSummary::key).toList();
    }

    // ------------------------------------------------------------------ ordering under skew

    @Test
    void aSubmissionStampedOlderThanTheAppliedVersionIsCountedAndShownAndTheNewerVersionStays() {
        Instant now = fixture.clock().instant();
        Submission newer = sendAt("AE", now, PackageChange.set("p8_2", 1));
        RunSummary first = newRun(FaultInjector.NONE).run();
        fixture.clock().advance(Duration.ofMinutes(1));
        // An API instance whose clock is ten minutes behind accepts the next version, and another package.
        Submission late = sendAt("AE", now.minus(Duration.ofMinutes(9)), PackageChange.set("p8_2", 2));
        Submission inOrder = sendAt("AE", now.minus(Duration.ofMinutes(9)), PackageChange.set("p9", 3));

        RunSummary second = newRun(FaultInjector.NONE).run();
        StackStatus status = status();

        assertThat(first.outOfOrder()).isZero();
        assertThat(second.outOfOrder()).isEqualTo(1);
        assertThat(second.toMap()).containsEntry("out_of_order", 1L);
        assertThat(second.sentence()).contains(" 1 of them was stamped older than the version already applied for its package "
                + "(e.g. submission " + late.id() + "): an API clock was behind when it accepted them.");
        assertThat(fixture.latestTable()).containsExactlyInAnyOrder(new LatestRow("AE", "p8_2", 1, newer.id().toString()),
                new LatestRow("AE", "p9", 3, inOrder.id().toString()));
        assertThat(status.needsOperator()).isFalse();
        assertThat(status.warnings()).singleElement().asString().startsWith("run " + second.runId() + " (0 s ago) applied 1 "
                + "submission stamped older than the version already applied for its package (e.g. submission " + late.id() + ")");
        fixture.clock().advance(Duration.ofHours(24));
        assertThat(status().warnings()).as("a day later").isEmpty();
    }

    // ------------------------------------------------------------------ runs in one millisecond

    /**
     * A run, then {@code rebuild-latest --full} within the same millisecond, as a fast machine does on a small table (the
     * local stack's tests did, and CI's next runs all failed on the damaged version the rebuild had replaced): the newest-run
     * record keeps the id that sorts last, so the rebuild's id must sort after the run's, whatever its random bits. The ids'
     * random source here only ever draws smaller numbers.
     */
    @Test
    void aRebuildInTheSameMillisecondAsTheRunBeforeItIsTheCurrentVersion() {
        Submission first = send("AE", Duration.ZERO, PackageChange.set("job_1", 1, 2));
        java.util.Random descending = new java.util.Random() {
            private int next = Integer.MAX_VALUE;

            @Override
            protected int next(int bits) {
                next -= 7919;
                return next >>> (32 - bits);
            }
        };
        BatchCommands commands = fixture.commands(engine, fixture.queue(), messages, descending, properties(), FaultInjector.NONE);

        RunSummary run = commands.run();
        RunSummary rebuilt = commands.rebuildLatest(true);
        RunSummary next = commands.run();

        assertThat(rebuilt.latestVersion()).isNotEqualTo(run.latestVersion());
        assertThat(rebuilt.sentence()).endsWith(" Republished the read model the API reads in full: 0 package objects rewritten, "
                + "every other already as published.");
        assertThat(next.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(status().latestVersion()).as("the newest-run record names the rebuilt version").isEqualTo(rebuilt.latestVersion());
        assertThat(rebuilt.runId()).as("ids sort in the order the runs started").isGreaterThan(run.runId());
        assertThat(fixture.latestTable()).containsExactlyInAnyOrder(new LatestRow("AE", "job_1", 1, first.id().toString()),
                new LatestRow("AE", "job_1", 2, first.id().toString()));
    }

    // ------------------------------------------------------------------ helpers

    private dev.soi.batch.run.BatchPorts portsWith(SubmissionQueue queue, ObjectStore store) {
        return new dev.soi.batch.run.BatchPorts(store, queue, engine, fixture.events(), fixture.lease(), fixture.statements(),
                new dev.soi.core.message.SubmissionMessages(store), fixture.clock(),
                () -> RunId.generate(fixture.clock().instant(), new java.util.Random(random.nextLong())), properties(), FaultInjector.NONE);
    }

    /** A queue every call of which fails as {@code failure} says: unreachable, or unable to persist. */
    private record RefusingQueue(SubmissionQueue delegate, QueueException failure) implements SubmissionQueue {
        @Override
        public void enqueue(List<QueueMessage> messages) {
            throw failure;
        }

        @Override
        public List<ReceivedMessage> receive(int max, Duration visibility, Duration wait) {
            throw failure;
        }

        @Override
        public void delete(Collection<ReceivedMessage> messages) {
            throw failure;
        }

        @Override
        public void changeVisibility(Collection<ReceivedMessage> messages, Duration visibility) {
            throw failure;
        }

        @Override
        public long approximateDepth() {
            throw failure;
        }

        @Override
        public long approximateInFlight() {
            throw failure;
        }

        @Override
        public SubmissionQueue deadLetterQueue() {
            return this;
        }

        @Override
        public void deadLetter(ReceivedMessage message, String reason) {
            throw failure;
        }

        @Override
        public int maxMessageBytes() {
            return delegate.maxMessageBytes();
        }
    }

    /**
     * A store on a full device: it reads, but every write fails as a folder store's does when the device has no space
     * (its cause the operating system's {@code No space left on device}).
     */
    private record FullStore(ObjectStore delegate, String staging) implements ObjectStore {
        private ObjectStoreException full() {
            return new ObjectStoreException("cannot stage a write in " + staging, new IOException("No space left on device"));
        }

        @Override
        public Optional<StoredObject> get(String key) {
            return delegate.get(key);
        }

        @Override
        public void put(String key, byte[] content) {
            throw full();
        }

        @Override
        public WriteOutcome putIfAbsent(String key, byte[] content) {
            throw full();
        }

        @Override
        public WriteOutcome putIfMatch(String key, byte[] content, String expectedEtag) {
            throw full();
        }

        @Override
        public Upload startUpload(String key) {
            throw full();
        }

        @Override
        public void completeUpload(PendingUpload upload) {
            throw full();
        }

        @Override
        public void abortUpload(PendingUpload upload) {
            delegate.abortUpload(upload);
        }

        @Override
        public List<ObjectSummary> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public void delete(Collection<String> keys) {
            delegate.delete(keys);
        }

        @Override
        public String location(String keyPrefix) {
            return delegate.location(keyPrefix);
        }
    }
}
