package dev.soi.batch;

import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.EmbeddedBatchFixture;
import java.nio.file.Path;
import java.time.Instant;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.ShrinkingMode;

/**
 * The exactly-once property over the folder store, ElasticMQ and DuckDB, as {@code ./soi local} runs: the read model is
 * compared with what DuckDB reads from the latest table's files. A history costs seconds here (ElasticMQ gives a crashed
 * run's messages back on the wall clock), so fewer of them, and a failure is reported unshrunk.
 */
@PropertyDefaults(tries = 8, shrinking = ShrinkingMode.OFF)
class EmbeddedExactlyOncePropertiesTest extends ExactlyOnceProperties {
    @Override
    protected BatchFixture newFixture(Path home, Instant start) {
        return new EmbeddedBatchFixture(home, start);
    }

    @Override
    protected BatchProperties properties() {
        return EmbeddedMaterializeScenariosTest.wallClockProperties();
    }
}
