package dev.soi.trino;

import dev.soi.batch.ExactlyOnceProperties;
import dev.soi.batch.testing.BatchFixture;
import java.nio.file.Path;
import java.time.Instant;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.ShrinkingMode;

/**
 * The exactly-once property with the run's Athena statements on Trino (the shared server): the read model is compared
 * with what Trino reads from the latest table, as Athena would. A history costs tens of seconds here, so a few of them,
 * and a failure is reported unshrunk.
 */
@PropertyDefaults(tries = 2, shrinking = ShrinkingMode.OFF)
class TrinoExactlyOncePropertiesTest extends ExactlyOnceProperties {
    @Override
    protected BatchFixture newFixture(Path home, Instant start) {
        return new TrinoBatchFixture(home, start);
    }
}
