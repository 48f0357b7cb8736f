package dev.soi.batch;

import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.LocalAdaptersBatchFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same scenarios on the real local stack (directory bucket, ElasticMQ, DuckDB, lease over the directory):
 * the fault-injection runs, redelivery, concurrency, poison message and ordering, with the latest table read
 * back through DuckDB. Short drain budget and visibility timeout, since ElasticMQ runs on the wall clock.
 */
class LocalAdaptersMaterializeScenariosTest extends MaterializeScenarios {
    @TempDir
    Path home;

    @Override
    protected BatchFixture newFixture() {
        return new LocalAdaptersBatchFixture(home, START);
    }

    @Override
    protected BatchProperties properties() {
        return new BatchProperties(Set.of("AE", "CMF", "FX"), 2, null, null, 5, Duration.ofSeconds(1), Duration.ofSeconds(6),
                null, null, null, null, null, null, null);
    }
}
