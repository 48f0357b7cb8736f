package dev.soi.core.testing;

import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.port.SubmissionQueueContract;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The in-memory queue keeps the same contract as the SQS adapter on ElasticMQ. */
class InMemorySubmissionQueueTest extends SubmissionQueueContract {
    private InMemorySubmissionQueue fake;
    private int drained;

    @Override
    protected SubmissionQueue newQueue() {
        fake = new InMemorySubmissionQueue(Clock.systemUTC());
        drained = 0;
        return fake;
    }

    /** The dead letters not drained before, as the dead-letter queue would deliver them. */
    @Override
    protected List<ReceivedMessage> drainDeadLetters() {
        List<InMemorySubmissionQueue.DeadLetter> all = fake.deadLetters();
        AtomicInteger n = new AtomicInteger();
        List<ReceivedMessage> out = new ArrayList<>();
        for (InMemorySubmissionQueue.DeadLetter letter : all.subList(drained, all.size())) {
            String id = "dead-" + n.incrementAndGet();
            out.add(new ReceivedMessage(id, id, letter.body(), letter.attributes(), 1));
        }
        drained = all.size();
        return out;
    }
}
