package dev.soi.core.testing;

import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.port.SubmissionQueueContract;
import java.time.Clock;

/** The in-memory queue keeps the same contract as the SQS adapter on ElasticMQ, its dead-letter queue included. */
class InMemorySubmissionQueueTest extends SubmissionQueueContract {

    @Override
    protected SubmissionQueue newQueue() {
        return new InMemorySubmissionQueue(Clock.systemUTC());
    }
}
