package dev.soi.batch;

import dev.soi.batch.run.BatchPorts;
import dev.soi.core.port.CatalogVersions;
import dev.soi.core.port.InvocationDeadline;
import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.run.FaultInjector;
import dev.soi.core.domain.RunId;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.EventPublisher;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.sql.TableStatements;
import java.time.Clock;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The batch in a Boot application: {@link BatchCommands} over the port beans. Import it into any application
 * that provides {@link ObjectStore}, {@link SubmissionQueue}, {@link QueryEngine}, {@link EventPublisher},
 * {@link RunLease}, a {@link TableStatements} and a {@link Clock}; optional beans: a {@link SubmissionMessages},
 * a {@link FaultInjector}, a {@code Supplier<RunId>}, the catalog's {@link CatalogVersions} (none locally) and the
 * {@link InvocationDeadline} (the Lambda's). The jobs themselves are built per execution by
 * {@link dev.soi.batch.flow.MaterializeJobs}; set {@code spring.batch.job.enabled=false} so Boot starts none.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BatchProperties.class)
public class BatchJobConfiguration {

    @Bean
    BatchPorts batchPorts(ObjectStore store, SubmissionQueue queue, QueryEngine engine, EventPublisher events,
                          RunLease runLease, TableStatements statements, Clock clock, BatchProperties properties,
                          ObjectProvider<SubmissionMessages> messages, ObjectProvider<FaultInjector> faults,
                          ObjectProvider<Supplier<RunId>> runIds, ObjectProvider<CatalogVersions> catalogVersions,
                          ObjectProvider<InvocationDeadline> deadline, Environment environment) {
        return new BatchPorts(store, queue, engine, events, runLease, statements,
                messages.getIfAvailable(() -> new SubmissionMessages(store)), clock,
                runIds.getIfAvailable(() -> BatchPorts.randomRunIds(clock)),
                properties.withRegistry(environment.getProperty("soi.business-units")),
                faults.getIfAvailable(() -> FaultInjector.NONE),
                catalogVersions.getIfAvailable(() -> CatalogVersions.NONE),
                deadline.getIfAvailable(() -> InvocationDeadline.NONE));
    }

    @Bean
    BatchCommands batchCommands(BatchPorts ports) {
        return new BatchCommands(ports);
    }
}
