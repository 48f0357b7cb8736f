package dev.soi.batch;

import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.InMemoryBatchFixture;
import java.nio.file.Path;
import java.time.Instant;
import net.jqwik.api.PropertyDefaults;

/** The exactly-once property over the in-memory fixture: cheap, so many histories. */
@PropertyDefaults(tries = 40)
class InMemoryExactlyOncePropertiesTest extends ExactlyOnceProperties {
    @Override
    protected BatchFixture newFixture(Path home, Instant start) {
        return new InMemoryBatchFixture(start);
    }
}
