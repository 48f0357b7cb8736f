package dev.soi.batch;

import dev.soi.core.aws.AwsAdapters;
import dev.soi.core.aws.AwsProperties;
import dev.soi.core.aws.S3ObjectStore;
import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.port.EventPublisher;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.sql.TableStatements;
import java.time.Clock;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The batch's ports in AWS (profile {@code aws}): S3, SQS, Athena and EventBridge adapters, built by
 * {@link AwsAdapters} from the {@code SOI_AWS_*} environment. The lease lives in the data bucket.
 */
@Configuration(proxyBeanMethods = false)
@Profile("aws")
@PropertySource("classpath:soi-aws.properties")
public class AwsBatchAdapters {

    @Bean
    AwsAdapters awsAdapters(Environment environment) {
        AwsProperties properties = Binder.get(environment).bind("soi.aws", AwsProperties.class)
                .orElseThrow(() -> new IllegalStateException("soi.aws.* settings are missing"));
        return new AwsAdapters(properties);
    }

    @Bean(destroyMethod = "close")
    S3Client s3Client(AwsAdapters aws) {
        return aws.s3();
    }

    @Bean(destroyMethod = "close")
    SqsClient sqsClient(AwsAdapters aws) {
        return aws.sqs();
    }

    @Bean(destroyMethod = "close")
    AthenaClient athenaClient(AwsAdapters aws) {
        return aws.athena();
    }

    @Bean(destroyMethod = "close")
    EventBridgeClient eventBridgeClient(AwsAdapters aws) {
        return aws.eventBridge();
    }

    @Bean
    S3ObjectStore objectStore(AwsAdapters aws, S3Client s3) {
        return aws.objectStore(s3);
    }

    @Bean
    SubmissionQueue submissionQueue(AwsAdapters aws, SqsClient sqs) {
        return aws.submissionQueue(sqs);
    }

    @Bean
    QueryEngine queryEngine(AwsAdapters aws, AthenaClient athena) {
        return aws.queryEngine(athena);
    }

    @Bean
    EventPublisher eventPublisher(AwsAdapters aws, EventBridgeClient eventBridge) {
        return aws.eventPublisher(eventBridge);
    }

    @Bean
    TableStatements tableStatements(AwsAdapters aws, S3ObjectStore store) {
        return aws.tableStatements(store);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    RunLease runLease(S3ObjectStore store, Clock clock) {
        return new ObjectStoreRunLease(store, clock);
    }
}
