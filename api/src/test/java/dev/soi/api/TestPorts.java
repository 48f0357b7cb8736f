package dev.soi.api;

import dev.soi.api.fakes.InMemoryObjectStore;
import dev.soi.api.fakes.InMemoryQueryEngine;
import dev.soi.api.fakes.MutableClock;
import dev.soi.api.fakes.RecordingSubmissionQueue;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.TableStatements;
import java.time.Instant;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** The ports the API needs, as in-memory fakes; one set per application context. */
@TestConfiguration(proxyBeanMethods = false)
public class TestPorts {
    public static final Instant START = Instant.parse("2026-11-23T03:25:00.123Z");

    @Bean
    RecordingSubmissionQueue queue() {
        return new RecordingSubmissionQueue();
    }

    @Bean
    InMemoryObjectStore objectStore() {
        return new InMemoryObjectStore();
    }

    @Bean
    InMemoryQueryEngine queryEngine() {
        return new InMemoryQueryEngine();
    }

    @Bean
    TableStatements tableStatements(InMemoryObjectStore store) {
        return new TableStatements(new SqlTemplates(), "df_trusted_test", store::location);
    }

    @Bean
    MutableClock clock() {
        return new MutableClock(START);
    }

    @Bean
    RandomGenerator random() {
        return new Random(42);
    }
}
