package dev.soi.aws;

import dev.soi.core.port.InvocationDeadline;
import dev.soi.core.port.SubmissionQueue;
import java.time.Clock;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.context.annotation.PropertySource;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The ports the API and the batch share in AWS (profile {@code aws}): the S3 store and the SQS queue, built by
 * {@link AwsAdapters} from the {@code SOI_AWS_*} settings, which are checked at start-up. The API needs nothing more: it
 * reads the read model from S3 and runs no query, so it builds no Athena client. The batch adds the Athena engine
 * ({@link AwsQueryConfiguration}), its event bus and its lease on top.
 */
@Configuration(proxyBeanMethods = false)
@Profile("aws")
@PropertySource("classpath:soi-aws.properties")
public class AwsAdaptersConfiguration {

    @Bean
    AwsAdapters awsAdapters(Environment environment, ObjectProvider<ExecutionInterceptor> interceptors,
                            ObjectProvider<InvocationDeadline> invocationDeadline) {
        AwsProperties properties = Binder.get(environment).bind("soi.aws", AwsProperties.class)
                .orElseThrow(() -> new IllegalStateException("soi.aws.* settings are missing"));
        // Both optional: the Lambda handler registers a deadline, tests register interceptors.
        return new AwsAdapters(properties, interceptors.orderedStream().toList(),
                invocationDeadline.getIfAvailable(() -> InvocationDeadline.NONE));
    }

    @Bean(destroyMethod = "close")
    S3Client s3Client(AwsAdapters aws) {
        return aws.s3();
    }

    @Bean(destroyMethod = "close")
    SqsClient sqsClient(AwsAdapters aws) {
        return aws.sqs();
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
    Clock clock() {
        return Clock.systemUTC();
    }
}
