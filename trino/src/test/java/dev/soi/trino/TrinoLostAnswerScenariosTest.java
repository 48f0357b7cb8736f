package dev.soi.trino;

import dev.soi.batch.LostAnswerScenarios;
import dev.soi.batch.testing.BatchFixture;
import dev.soi.core.testing.FaultyObjectStore.Fault;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lost-answer matrix with the run's Athena statements on Trino (the shared server): each site's write that never
 * lands, one run each, and every write of a run losing its answer in one run per way.
 */
class TrinoLostAnswerScenariosTest extends LostAnswerScenarios {
    @TempDir
    Path home;

    @Override
    protected BatchFixture newFixture() {
        return new TrinoBatchFixture(home, START);
    }

    @Override
    protected List<Fault> faultsAtEachSite() {
        return List.of(Fault.FAILS_BEFORE_WRITE);
    }
}
