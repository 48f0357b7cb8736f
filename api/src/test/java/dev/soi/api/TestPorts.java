package dev.soi.api;

import dev.soi.api.fakes.RecordingObjectStore;
import dev.soi.api.fakes.RecordingSubmissionQueue;
import dev.soi.core.sql.CountingQueryEngine;
import dev.soi.core.testing.InMemoryObjectStore;
import dev.soi.core.testing.InMemoryQueryEngine;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The ports the API needs, as in-memory fakes; one set per application context. Clock and ids: {@link TestTime}. A
 * query engine is there too, as the local stack has one for its batch, counting what it is asked: the API must ask nothing.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestPorts {
    public static final Instant START = TestTime.START;

    @Bean
    RecordingSubmissionQueue queue() {
        return new RecordingSubmissionQueue();
    }

    @Bean
    RecordingObjectStore objectStore() {
        return new RecordingObjectStore();
    }

    @Bean
    CountingQueryEngine queryEngine() {
        return new CountingQueryEngine(new InMemoryQueryEngine(new InMemoryObjectStore(), (key, content) -> List.of()));
    }
}
