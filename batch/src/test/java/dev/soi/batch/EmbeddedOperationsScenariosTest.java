package dev.soi.batch;

import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.EmbeddedBatchFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The operations scenarios on the embedded stand-ins: a folder bucket, ElasticMQ, DuckDB reading the real files. */
class EmbeddedOperationsScenariosTest extends OperationsScenarios {
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
