package dev.soi.local;

import dev.soi.aws.SqsQueueProperties;
import dev.soi.aws.SqsSubmissionQueue;
import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.port.EventPublisher;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.TableStatements;
import dev.soi.embedded.DuckDbQueryEngine;
import dev.soi.embedded.ElasticMqServer;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.embedded.RecordingEventPublisher;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The local stand-ins behind the ports, all keeping their state under {@code SOI_HOME}: ElasticMQ (the
 * real SQS protocol, so the same {@link SqsSubmissionQueue} adapter as in AWS) persisting to H2 files, the
 * data folder as the bucket, DuckDB over that folder, and events appended to a file.
 */
@Configuration(proxyBeanMethods = false)
public class LocalStackConfiguration {

    @Bean
    LocalHome localHome(@Value("${soi.local.home:}") String home) {
        return home.isBlank() ? LocalHome.fromEnvironment() : new LocalHome(Path.of(home));
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    ElasticMqServer elasticMqServer(LocalHome home, LocalProperties properties) {
        return ElasticMqServer.start(ElasticMqServer.Options.persistent(home.queue()).withPort(properties.queuePort()));
    }

    /** The queue, refusing at once what a full device could not persist ({@link QueueDiskGuard}). */
    @Bean
    SubmissionQueue submissionQueue(ElasticMqServer server, LocalHome home, LocalProperties properties,
                                    ObjectProvider<DiskSpace> diskSpace) {
        return new QueueDiskGuard(new SqsSubmissionQueue(server.client(), server.queueUrl(), server.dlqUrl(), SqsQueueProperties.defaults()),
                home.queue(), diskSpace.getIfAvailable(() -> DiskSpace.SYSTEM), properties.queueMinFreeBytes());
    }

    @Bean
    ObjectStore objectStore(LocalHome home) {
        return new FileSystemObjectStore(home.data());
    }

    @Bean
    QueryEngine queryEngine(LocalHome home) {
        return new DuckDbQueryEngine(home.catalog());
    }

    @Bean
    TableStatements tableStatements(ObjectStore store, @Value("${soi.env:local}") String env) {
        return new TableStatements(new SqlTemplates(), "df_trusted_" + env, store::location);
    }

    @Bean
    EventPublisher eventPublisher(LocalHome home) {
        return new RecordingEventPublisher(home.events());
    }

    @Bean
    RunLease runLease(ObjectStore store, Clock clock) {
        return new ObjectStoreRunLease(store, clock);
    }
}
