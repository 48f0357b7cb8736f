package dev.soi.core.testing;

import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.EventPublisher;
import dev.soi.core.port.EventPublisherContract;
import java.util.List;

/** The recording fake keeps the same contract as the EventBridge adapter and the file-backed publisher. */
class RecordingPublisherTest extends EventPublisherContract {
    private RecordingPublisher publisher;

    @Override
    protected EventPublisher publisher() {
        publisher = new RecordingPublisher();
        return publisher;
    }

    @Override
    protected List<DomainEvent> delivered() {
        return publisher.events();
    }
}
