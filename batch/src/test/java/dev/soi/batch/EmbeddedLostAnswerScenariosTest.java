package dev.soi.batch;

import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.EmbeddedBatchFixture;
import dev.soi.core.testing.FaultyObjectStore.Fault;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lost-answer matrix on the folder store, ElasticMQ and DuckDB: each site's write that never lands, one run each,
 * and every write of a run losing its answer in one run per way (a run costs more here than in memory).
 */
class EmbeddedLostAnswerScenariosTest extends LostAnswerScenarios {
    @TempDir
    Path home;

    @Override
    protected BatchFixture newFixture() {
        return new EmbeddedBatchFixture(home, START);
    }

    @Override
    protected BatchProperties properties() {
        return EmbeddedMaterializeScenariosTest.wallClockProperties();
    }

    @Override
    protected List<Fault> faultsAtEachSite() {
        return List.of(Fault.FAILS_BEFORE_WRITE);
    }
}
