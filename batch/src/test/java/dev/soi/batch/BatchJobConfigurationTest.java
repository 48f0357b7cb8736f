package dev.soi.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.run.FaultInjector;
import dev.soi.batch.run.FaultPoint;
import dev.soi.batch.testing.Crashes;
import dev.soi.batch.testing.InMemoryBatchFixture;
import dev.soi.batch.testing.LatestRow;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.EventPublisher;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.sql.TableStatements;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;

/** The Spring Batch wiring in a Boot application: the commands run their jobs over whatever port beans exist. */
@SpringBootTest(classes = BatchJobConfigurationTest.TestApplication.class, properties = {
        "spring.batch.job.enabled=false", "soi.batch.units=AE,CMF", "soi.batch.receivers=2", "soi.batch.max-seconds=60"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class BatchJobConfigurationTest {
    static final Instant START = Instant.parse("2026-11-23T03:00:00Z");

    /** What the local module does: its own Boot app, its adapters as beans, the job configuration imported. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(BatchJobConfiguration.class)
    static class TestApplication {
        @Bean
        InMemoryBatchFixture fixture() {
            return new InMemoryBatchFixture(START);
        }

        @Bean
        ObjectStore objectStore(InMemoryBatchFixture fixture) {
            return fixture.store();
        }

        @Bean
        SubmissionQueue submissionQueue(InMemoryBatchFixture fixture) {
            return fixture.queue();
        }

        @Bean
        QueryEngine queryEngine(InMemoryBatchFixture fixture) {
            return fixture.engine();
        }

        @Bean
        EventPublisher eventPublisher(InMemoryBatchFixture fixture) {
            return fixture.events();
        }

        @Bean
        RunLease runLease(InMemoryBatchFixture fixture) {
            return fixture.lease();
        }

        @Bean
        TableStatements tableStatements(InMemoryBatchFixture fixture) {
            return fixture.statements();
        }

        @Bean
        Clock clock(InMemoryBatchFixture fixture) {
            return fixture.clock();
        }

        @Bean
        SwitchableFaults faults() {
            return new SwitchableFaults();
        }
    }

    /** Crashes at one point when armed. */
    static final class SwitchableFaults implements FaultInjector {
        final AtomicReference<FaultPoint> armed = new AtomicReference<>();
        final AtomicReference<Runnable> onPending = new AtomicReference<>();

        @Override
        public void at(FaultPoint point) {
            if (point == armed.get()) {
                throw new Crashes.SimulatedCrash(point);
            }
            Runnable action = point == FaultPoint.AFTER_MANIFEST_PENDING ? onPending.getAndSet(null) : null;
            if (action != null) {
                action.run();
            }
        }
    }

    @Autowired
    BatchCommands commands;
    @Autowired
    InMemoryBatchFixture fixture;
    @Autowired
    BatchProperties properties;
    @Autowired
    SwitchableFaults faults;

    @Test
    void propertiesAreBoundWithDefaultsForMissingKeys() {
        assertThat(properties.units()).containsExactlyInAnyOrder("AE", "CMF");
        assertThat(properties.receivers()).isEqualTo(2);
        assertThat(properties.maxSeconds()).isEqualTo(60);
        assertThat(properties.visibilityTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.leaseTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.maxMessages()).isEqualTo(100_000);
    }

    @Test
    void bootstrapJobCreatesDatabaseAndTables() {
        RunSummary summary = commands.bootstrap();

        assertThat(summary.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(fixture.templatesIssued()).containsExactly(
                "athena/create_database", "athena/create_pit_table", "athena/create_latest_table");
        assertThat(((dev.soi.core.sql.SqlToken.LocationTemplate) fixture.engine().statements().get(2).token("location_template"))
                .prefix().uri()).isEqualTo(fixture.store().location(StorageLayout.latestVersionPrefix(StorageLayout.LATEST_EMPTY_VERSION)));
    }

    @Test
    void materializeJobRunsTheStepsInOrderAndRebuildLatest() {
        Submission submission = enqueue("AE", PackageChange.set("job_1", 123, 456));

        RunSummary run = commands.execute("run", false);

        assertThat(run.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        MaterializeScenarios.assertRunSteps(List.copyOf(run.stepMillis().keySet()));
        assertThat(fixture.latestTable()).containsExactlyInAnyOrder(
                new LatestRow("AE", "job_1", 123, submission.id().toString()),
                new LatestRow("AE", "job_1", 456, submission.id().toString()));
        assertThat(fixture.lease().tryAcquire("probe", Duration.ofMinutes(10))).as("lease released").isPresent();

        fixture.clock().advance(Duration.ofMinutes(5));
        RunSummary rebuilt = commands.execute("rebuild-latest", true);
        assertThat(rebuilt.outcome()).as("the probe still holds the lease").isEqualTo(RunSummary.Outcome.LEASE_HELD);
        fixture.clock().advance(Duration.ofMinutes(6));
        rebuilt = commands.rebuildLatest(true);
        assertThat(rebuilt.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(rebuilt.latestVersion()).isEqualTo(rebuilt.runId());
        assertThat(rebuilt.partitionsRegistered()).isEqualTo(1);
    }

    @Test
    void crashInsideTheJobKeepsTheLeaseAndTheNextJobRecovers() {
        enqueue("CMF", PackageChange.set("risk", 1, 2));
        faults.armed.set(FaultPoint.AFTER_MANIFEST_COMMIT);

        assertThatThrownBy(() -> commands.run()).isInstanceOf(Crashes.SimulatedCrash.class);

        faults.armed.set(null);
        assertThat(commands.run().outcome()).isEqualTo(RunSummary.Outcome.LEASE_HELD);
        fixture.clock().advance(Duration.ofSeconds(90));
        RunSummary recovered = commands.run();
        assertThat(recovered.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(recovered.recoveredCommitted()).hasSize(1);
        assertThat(recovered.alreadyCommitted()).isEqualTo(1);
        assertThat(fixture.latestTable()).extracting(LatestRow::referenceId).containsExactlyInAnyOrder(1L, 2L);
        assertThat(fixture.messagesLeft()).isZero();
    }

    @Test
    void commandStartedWhileAnotherRunsInTheSameProcessReturnsLeaseHeld() {
        Submission submission = enqueue("AE", PackageChange.set("job_1", 5));
        AtomicReference<RunSummary> concurrent = new AtomicReference<>();
        faults.onPending.set(() -> concurrent.set(CompletableFuture.supplyAsync(() -> commands.rebuildLatest(false)).join()));

        RunSummary first = commands.run();

        assertThat(concurrent.get().outcome()).isEqualTo(RunSummary.Outcome.LEASE_HELD);
        assertThat(first.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(fixture.latestTable()).containsExactly(new LatestRow("AE", "job_1", 5, submission.id().toString()));
    }

    @Test
    void unknownCommandIsRefused() {
        assertThatThrownBy(() -> commands.execute("vacuum", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown command vacuum");
    }

    private Submission enqueue(String unit, PackageChange... changes) {
        Instant at = fixture.clock().instant();
        Submission submission = new Submission(SubmissionId.generate(at, new Random(1)), at, "alice", BusinessUnit.of(unit),
                List.of(changes));
        fixture.queue().enqueue(List.of(new SubmissionMessages(fixture.store()).toMessage(submission, 262_144)));
        return submission;
    }

}
