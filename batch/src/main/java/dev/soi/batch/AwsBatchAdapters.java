package dev.soi.batch;

import dev.soi.aws.AwsAdapters;
import dev.soi.aws.AwsQueryConfiguration;
import dev.soi.aws.S3ObjectStore;
import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.port.CatalogVersions;
import dev.soi.core.port.EventPublisher;
import dev.soi.core.port.RunLease;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Profile;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.glue.GlueClient;

/**
 * The batch's ports in AWS (profile {@code aws}): the shared S3, SQS and Athena adapters, plus the
 * EventBridge publisher for run events, the run lease, which lives in the data bucket, and the Glue table versions the
 * batch prunes after each swap of the latest table.
 */
@Configuration(proxyBeanMethods = false)
@Profile("aws")
@Import(AwsQueryConfiguration.class)
public class AwsBatchAdapters {

    @Bean(destroyMethod = "close")
    EventBridgeClient eventBridgeClient(AwsAdapters aws) {
        return aws.eventBridge();
    }

    @Bean
    EventPublisher eventPublisher(AwsAdapters aws, EventBridgeClient eventBridge) {
        return aws.eventPublisher(eventBridge);
    }

    @Bean(destroyMethod = "close")
    GlueClient glueClient(AwsAdapters aws) {
        return aws.glue();
    }

    @Bean
    CatalogVersions catalogVersions(AwsAdapters aws, GlueClient glue) {
        return aws.catalogVersions(glue);
    }

    @Bean
    RunLease runLease(S3ObjectStore store, Clock clock) {
        return new ObjectStoreRunLease(store, clock);
    }
}
