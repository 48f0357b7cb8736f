package dev.soi.batch;

import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.InMemoryBatchFixture;

/** The lost-answer matrix on the in-memory fakes, where a run is cheap: every site fails each of the three ways. */
class InMemoryLostAnswerScenariosTest extends LostAnswerScenarios {
    @Override
    protected BatchFixture newFixture() {
        return new InMemoryBatchFixture(START);
    }
}
