package dev.soi.embedded;

import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.EventPublisher;
import dev.soi.core.port.EventPublisherContract;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

class RecordingEventPublisherContractTest extends EventPublisherContract {
    @TempDir
    Path dir;
    private RecordingEventPublisher publisher;

    @Override
    protected EventPublisher publisher() {
        publisher = new RecordingEventPublisher(dir.resolve("events.jsonl"));
        return publisher;
    }

    @Override
    protected List<DomainEvent> delivered() {
        return publisher.events();
    }
}
