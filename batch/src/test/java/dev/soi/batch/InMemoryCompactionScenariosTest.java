package dev.soi.batch;

import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.InMemoryBatchFixture;

/** The compaction scenarios over the in-memory fakes. */
class InMemoryCompactionScenariosTest extends CompactionScenarios {
    @Override
    protected BatchFixture newFixture() {
        return new InMemoryBatchFixture(START);
    }
}
