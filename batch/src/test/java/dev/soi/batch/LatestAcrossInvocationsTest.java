package dev.soi.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.batch.journal.ManifestState;
import dev.soi.batch.latest.LatestBuild;
import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.run.FaultInjector;
import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.InMemoryBatchFixture;
import dev.soi.batch.testing.Expected;
import dev.soi.batch.testing.LatestRow;
import dev.soi.batch.testing.ReadModelCheck;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.readmodel.ReadModelObjects;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.port.InvocationDeadline;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A full rebuild of the latest table that does not fit in one invocation goes on in the next, published once; and the
 * catalog's archived versions of the latest table stay bounded however many swaps there are.
 */
class LatestAcrossInvocationsTest extends ScenarioSupport {
    LatestAcrossInvocationsTest() {
        super(25);
    }

    private InMemoryBatchFixture inMemory;

    @Override
    protected BatchFixture newFixture() {
        inMemory = new InMemoryBatchFixture(START);
        return inMemory;
    }

    /** The batch's commands with an invocation whose time is already up, and the in-memory catalog's table versions. */
    private BatchCommands invocation(InvocationDeadline deadline, BatchProperties properties) {
        Random ids = new Random(random.nextLong());
        BatchPorts ports = new BatchPorts(fixture.store(), fixture.queue(), engine, fixture.events(), fixture.lease(),
                fixture.statements(), messages, fixture.clock(), () -> RunId.generate(fixture.clock().instant(), ids), properties,
                FaultInjector.NONE);
        return new BatchCommands(ports.withDeadline(deadline)
                .withCatalogVersions(inMemory.catalogVersions()));
    }

    private InvocationDeadline timeIsUp() {
        return () -> Optional.of(fixture.clock().instant());
    }

    @Test
    void aFullRebuildOutOfTimeStopsBetweenUnitsUnpublishedAndTheNextInvocationFinishesIt() {
        Submission ae = send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        Submission cmf = send("CMF", Duration.ZERO, PackageChange.set("job_2", 2));
        Submission fx = send("FX", Duration.ZERO, PackageChange.set("job_3", 3));
        String first = newRun(FaultInjector.NONE).run().latestVersion();
        fixture.clock().advance(Duration.ofMinutes(5));

        RunSummary stopped = invocation(timeIsUp(), properties()).rebuildLatest(true);

        assertThat(stopped.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(stopped.sentence()).startsWith("Rebuilt part of the latest table")
                .contains("1 of 3 units done").contains("Nothing was published");
        assertThat(stopped.latestVersion()).as("no version published").isNull();
        LatestBuild.State build = LatestBuild.read(fixture.store()).orElseThrow();
        assertThat(build.version()).isEqualTo(stopped.runId());
        assertThat(build.units()).containsExactly("AE", "CMF", "FX");
        assertThat(build.done()).containsExactly("AE");
        assertThat(fixture.latestTable()).as("readers still see the published version").containsExactlyInAnyOrder(
                new LatestRow("AE", "job_1", 1, ae.id().toString()), new LatestRow("CMF", "job_2", 2, cmf.id().toString()),
                new LatestRow("FX", "job_3", 3, fx.id().toString()));
        assertThat(new ReadModelObjects(fixture.store()).marker()).as("the read model still holds the published version")
                .hasValueSatisfying(m -> assertThat(m.latestVersion()).isEqualTo(first));

        // A run commits a new version of AE, whose folder the build already wrote: the next invocation writes it again.
        Submission newer = send("AE", Duration.ofMinutes(1), PackageChange.set("job_1", 10));
        fixture.clock().advance(Duration.ofMinutes(5));
        RunSummary carried = invocation(InvocationDeadline.NONE, properties()).run();

        assertThat(carried.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(carried.latestVersion()).as("the build under way is the version published").isEqualTo(stopped.runId());
        assertThat(LatestBuild.read(fixture.store())).isEmpty();
        assertThat(fixture.latestTable()).containsExactlyInAnyOrder(
                new LatestRow("AE", "job_1", 10, newer.id().toString()), new LatestRow("CMF", "job_2", 2, cmf.id().toString()),
                new LatestRow("FX", "job_3", 3, fx.id().toString()));
        assertThat(fixture.store().list(StorageLayout.latestVersionPrefix(stopped.runId())))
                .extracting(o -> LatestLayout.latestUnitOf(o.key()).orElseThrow().code()).containsExactly("AE", "CMF", "FX");
        // The invocation that finished the build published the read model from it, and only then were the runs DONE.
        assertThat(new ReadModelObjects(fixture.store()).marker()).hasValueSatisfying(m -> assertThat(m.latestVersion())
                .isEqualTo(stopped.runId()));
        ReadModelCheck.assertAgreesWithLatestTable(fixture, List.of("AE", "CMF", "FX"));
        assertThat(Expected.manifests(fixture.store())).allSatisfy(m -> assertThat(m.state()).isEqualTo(ManifestState.DONE));
    }

    @Test
    void everyInvocationOfAFullRebuildGetsOnByAtLeastOneUnit() {
        send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        send("CMF", Duration.ZERO, PackageChange.set("job_2", 2));
        newRun(FaultInjector.NONE).run();
        List<List<String>> done = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            fixture.clock().advance(Duration.ofMinutes(5));
            RunSummary summary = invocation(timeIsUp(), properties()).rebuildLatest(true);
            assertThat(summary.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
            done.add(LatestBuild.read(fixture.store()).map(LatestBuild.State::done).orElse(List.of("published " + summary.latestVersion())));
        }
        assertThat(done.get(0)).containsExactly("AE");
        assertThat(done.get(1)).hasSize(1).allMatch(s -> s.startsWith("published "));
    }

    @Test
    void theCatalogKeepsOnlyTheNewestVersionsOfTheLatestTableHoweverManySwaps() {
        BatchProperties props = BatchProperties.builder().units("AE", "CMF", "FX").latestCatalogVersions(3).build();
        int most = 0;
        for (int i = 0; i < 12; i++) {
            send("AE", Duration.ZERO, PackageChange.set("job_1", i + 1));
            RunSummary summary = invocation(InvocationDeadline.NONE, props).run();
            assertThat(summary.outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
            most = Math.max(most, inMemory.catalogVersions().count(StorageLayout.LATEST_TABLE));
            fixture.clock().advance(Duration.ofMinutes(5));
        }
        assertThat(inMemory.catalogVersions().count(StorageLayout.LATEST_TABLE)).isEqualTo(3);
        assertThat(most).isEqualTo(3);
    }
}
