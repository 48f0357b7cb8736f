package dev.soi.batch;

import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.InMemoryBatchFixture;

/** The batch scenarios over the in-memory fakes. */
class InMemoryMaterializeScenariosTest extends MaterializeScenarios {
    @Override
    protected BatchFixture newFixture() {
        return new InMemoryBatchFixture(START);
    }
}
