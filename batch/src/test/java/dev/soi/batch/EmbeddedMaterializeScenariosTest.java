package dev.soi.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.run.FaultInjector;
import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.LatestRow;
import dev.soi.batch.testing.EmbeddedBatchFixture;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.port.ObjectSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same scenarios on the real local stack (directory bucket, ElasticMQ, DuckDB, lease over the directory):
 * the fault-injection runs, redelivery, concurrency, poison message and ordering, with the latest table read
 * back through DuckDB. Short drain budget and visibility timeout, since ElasticMQ runs on the wall clock.
 */
class EmbeddedMaterializeScenariosTest extends MaterializeScenarios {
    @TempDir
    Path home;

    @Override
    protected BatchFixture newFixture() {
        return new EmbeddedBatchFixture(home, START);
    }

    @Override
    protected BatchProperties properties() {
        return wallClockProperties();
    }

    /**
     * ElasticMQ times visibility on the wall clock: a short drain budget and visibility (6 s), and a heartbeat
     * (2 s) that extends held messages well within it. Shared with the compaction scenarios on this fixture.
     */
    static BatchProperties wallClockProperties() {
        return BatchProperties.builder().units("AE", "CMF", "FX").receivers(2).maxSeconds(5).receiveWait(Duration.ofSeconds(1))
                .visibilityTimeout(Duration.ofSeconds(6)).leaseTtl(Duration.ofSeconds(6)).heartbeat(Duration.ofSeconds(2)).build();
    }

    // ------------------------------------------------------------------ damage (DuckDB reads the real files)

    @Test
    void aDamagedLatestVersionFailsTheRunNamingItAndTheFullRebuildReplacesIt() {
        Submission first = send("AE", Duration.ZERO, PackageChange.set("job_1", 1, 2));
        fixture.clock().advance(Duration.ofMinutes(1));
        RunSummary published = newRun(FaultInjector.NONE).run();
        for (ObjectSummary file : fixture.store().list(StorageLayout.latestVersionPrefix(published.runId()))) {
            fixture.store().put(file.key(), "not parquet".getBytes(StandardCharsets.UTF_8));
        }
        Submission second = send("AE", Duration.ZERO, PackageChange.set("job_2", 3));
        fixture.clock().advance(Duration.ofMinutes(1));

        RunSummary failed = newRun(FaultInjector.NONE).run();

        assertThat(failed.outcome()).isEqualTo(RunSummary.Outcome.FAILED);
        assertThat(failed.failure()).contains("version=" + published.runId()).contains("run rebuild-latest --full");
        fixture.clock().advance(Duration.ofMinutes(1));
        RunSummary repaired = newRun(FaultInjector.NONE).rebuildLatest(true);

        assertThat(repaired.outcome()).as(repaired.line()).isEqualTo(RunSummary.Outcome.COMPLETED);
        // The failed run stopped before it received anything: the next run applies what waited.
        fixture.clock().advance(Duration.ofMinutes(1));
        assertThat(newRun(FaultInjector.NONE).run().outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(fixture.latestTable()).containsExactlyInAnyOrder(new LatestRow("AE", "job_1", 1, first.id().toString()),
                new LatestRow("AE", "job_1", 2, first.id().toString()), new LatestRow("AE", "job_2", 3, second.id().toString()));
    }

    @Test
    void aDamagedLocalCatalogNamesItselfAndBootstrapRebuildsIt() throws Exception {
        Submission first = send("AE", Duration.ZERO, PackageChange.set("job_1", 1));
        fixture.clock().advance(Duration.ofMinutes(1));
        newRun(FaultInjector.NONE).run();
        Path catalog = home.resolve("catalog").resolve("catalog.json");
        Files.writeString(catalog, "{broken");
        fixture.clock().advance(Duration.ofMinutes(1));
        send("AE", Duration.ZERO, PackageChange.set("job_2", 2));

        RunSummary failed = newRun(FaultInjector.NONE).run();

        assertThat(failed.outcome()).isEqualTo(RunSummary.Outcome.FAILED);
        assertThat(failed.failure()).contains("the local catalog " + catalog + " is damaged").contains("run ./soi bootstrap");
        Files.move(catalog, catalog.resolveSibling("catalog.json.damaged"));
        assertThat(newRun(FaultInjector.NONE).bootstrap().outcome()).isEqualTo(RunSummary.Outcome.COMPLETED);
        fixture.clock().advance(Duration.ofMinutes(2));
        RunSummary next = newRun(FaultInjector.NONE).run();
        assertThat(next.outcome()).as(next.line()).isEqualTo(RunSummary.Outcome.COMPLETED);
        assertThat(fixture.latestTable()).extracting(LatestRow::packageName).containsExactlyInAnyOrder("job_1", "job_2");
        assertThat(fixture.latestTable()).contains(new LatestRow("AE", "job_1", 1, first.id().toString()));
    }
}
