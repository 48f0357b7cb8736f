package dev.soi.aws;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.InvocationDeadline;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.TableStatements;
import java.net.URI;
import java.util.List;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Builds the AWS SDK clients and the port adapters from {@link AwsProperties}: one place, used by the API
 * and the batch alike, so both talk to AWS the same way (Apache HTTP client, default credentials chain,
 * optional endpoint override). The SDK's standard retries stay on; the adapters add their own checks of
 * per-entry failures on top.
 */
public final class AwsAdapters {
    private final AwsProperties properties;
    private final List<ExecutionInterceptor> interceptors;
    private final InvocationDeadline invocationDeadline;

    public AwsAdapters(AwsProperties properties) {
        this(properties, List.of(), InvocationDeadline.NONE);
    }

    /**
     * @param interceptors       added to every client, e.g. a test's recorder of the AWS operations called
     * @param invocationDeadline caps the Athena engine's waits (the Lambda handler's remaining time)
     */
    public AwsAdapters(AwsProperties properties, List<ExecutionInterceptor> interceptors, InvocationDeadline invocationDeadline) {
        this.properties = requireNonNull(properties, "aws properties");
        this.interceptors = List.copyOf(requireNonNull(interceptors, "interceptors"));
        this.invocationDeadline = requireNonNull(invocationDeadline, "invocation deadline");
    }

    public S3Client s3() {
        boolean compatible = properties.endpointFor("s3") != null;
        software.amazon.awssdk.services.s3.S3ClientBuilder builder = configure(S3Client.builder(), "s3").forcePathStyle(compatible);
        if (compatible) {
            // S3-compatible servers often reject the SDK's default flexible checksums; send them only when required.
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    public SqsClient sqs() {
        return configure(SqsClient.builder(), "sqs").build();
    }

    public AthenaClient athena() {
        return configure(AthenaClient.builder(), "athena").build();
    }

    public EventBridgeClient eventBridge() {
        return configure(EventBridgeClient.builder(), "events").build();
    }

    public GlueClient glue() {
        return configure(GlueClient.builder(), "glue").build();
    }

    /** The archived versions of the batch's tables in the Glue Data Catalog, which the batch prunes after each swap. */
    public GlueCatalogVersions catalogVersions(GlueClient glue) {
        return new GlueCatalogVersions(glue, properties.database());
    }

    public S3ObjectStore objectStore(S3Client s3) {
        return new S3ObjectStore(s3, new S3StoreProperties(properties.bucket(), properties.prefix()));
    }

    public SqsSubmissionQueue submissionQueue(SqsClient sqs) {
        return new SqsSubmissionQueue(sqs, properties.queueUrl(), properties.dlqUrl(), SqsQueueProperties.defaults());
    }

    public AthenaQueryEngine queryEngine(AthenaClient athena) {
        return new AthenaQueryEngine(athena, AthenaProperties.of(properties.requireAthenaWorkgroup(), properties.database(),
                properties.athenaOutputLocation()), invocationDeadline);
    }

    public EventBridgePublisher eventPublisher(EventBridgeClient eventBridge) {
        return new EventBridgePublisher(eventBridge, properties.eventBus());
    }

    public TableStatements tableStatements(S3ObjectStore store) {
        return new TableStatements(new SqlTemplates(), properties.database(), store::location);
    }

    private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, String service) {
        builder.region(Region.of(properties.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(ApacheHttpClient.builder());
        if (!interceptors.isEmpty()) {
            builder.overrideConfiguration(o -> interceptors.forEach(o::addExecutionInterceptor));
        }
        String endpoint = properties.endpointFor(service);
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder;
    }
}
