package dev.soi.batch;

import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.InMemoryBatchFixture;

class InMemoryOperationsScenariosTest extends OperationsScenarios {
    @Override
    protected BatchFixture newFixture() {
        return new InMemoryBatchFixture(START);
    }
}
