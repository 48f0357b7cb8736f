package dev.soi.trino;

import dev.soi.batch.MaterializeScenarios;
import dev.soi.batch.testing.BatchFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every batch scenario (seed example, tombstones, out-of-order versions, a crash at each fault point including
 * between CTAS and swap, redelivery, poison messages, failed verification, on-demand rebuilds) with the run's
 * Athena statements executed by Trino, and the same expected rows as on the other fixtures.
 */
class TrinoMaterializeScenariosTest extends MaterializeScenarios {

    @TempDir
    Path home;

    @Override
    protected BatchFixture newFixture() {
        return new TrinoBatchFixture(home, START);
    }
}
