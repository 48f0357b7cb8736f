package dev.soi.trino;

import dev.soi.batch.CompactionScenarios;
import dev.soi.batch.testing.BatchFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compaction scenarios with every statement rendered for Athena and run by Trino: the partition's rows and
 * checksums as Athena's SQL computes them, and the partition's location moved by the stand-in's two metastore calls.
 */
class TrinoCompactionScenariosTest extends CompactionScenarios {

    @TempDir
    Path home;

    @Override
    protected BatchFixture newFixture() {
        return new TrinoBatchFixture(home, START);
    }
}
