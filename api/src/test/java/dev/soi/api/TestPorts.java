package dev.soi.api;

import dev.soi.api.fakes.SeededQueryEngine;
import dev.soi.api.fakes.RecordingSubmissionQueue;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.TableStatements;
import dev.soi.core.testing.InMemoryObjectStore;
import java.time.Instant;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** The ports the API needs, as in-memory fakes; one set per application context. Clock and ids: {@link TestTime}. */
@TestConfiguration(proxyBeanMethods = false)
public class TestPorts {
    public static final Instant START = TestTime.START;

    @Bean
    RecordingSubmissionQueue queue() {
        return new RecordingSubmissionQueue();
    }

    @Bean
    InMemoryObjectStore objectStore() {
        return new InMemoryObjectStore();
    }

    @Bean
    SeededQueryEngine queryEngine(InMemoryObjectStore store, TableStatements statements) {
        return new SeededQueryEngine(store, statements);
    }

    @Bean
    TableStatements tableStatements(InMemoryObjectStore store) {
        return new TableStatements(new SqlTemplates(), "df_trusted_test", store::location);
    }
}
