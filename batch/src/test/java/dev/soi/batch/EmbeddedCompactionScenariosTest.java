package dev.soi.batch;

import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.EmbeddedBatchFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The compaction scenarios on the local stack: folder store, ElasticMQ, and DuckDB reading the Parquet files. */
class EmbeddedCompactionScenariosTest extends CompactionScenarios {
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
}
