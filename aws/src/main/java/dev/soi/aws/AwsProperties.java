package dev.soi.aws;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.shown;

import java.net.URI;

/**
 * Everything AWS mode needs, bound from {@code soi.aws.*} (the {@code SOI_AWS_*} environment variables the
 * SAM template sets; see {@code soi-aws.properties}). Validated at start-up so a missing value stops the
 * application with the variable's name, not with a failure on the first request.
 *
 * @param region               AWS region ({@code SOI_AWS_REGION}, else {@code AWS_REGION})
 * @param endpoint             optional endpoint override for every service ({@code SOI_AWS_ENDPOINT}), for
 *                             LocalStack or another compatible endpoint; empty in AWS
 * @param bucket               the data bucket ({@code SOI_AWS_BUCKET})
 * @param prefix               folder in the bucket ({@code SOI_AWS_PREFIX}), may be empty
 * @param queueUrl             submission queue ({@code SOI_AWS_QUEUE_URL})
 * @param dlqUrl               its dead-letter queue ({@code SOI_AWS_DLQ_URL})
 * @param athenaWorkgroup      ({@code SOI_AWS_ATHENA_WORKGROUP}); the batch's only: the API runs no query, so it may be empty there
 * @param athenaOutputLocation {@code s3://…/} for results, empty when the workgroup enforces one
 * @param eventBus             EventBridge bus for run events ({@code SOI_AWS_EVENT_BUS}, default {@code default})
 * @param env                  environment name ({@code SOI_ENV}): the database is {@code df_trusted_<env>}
 * @param endpoints            optional per-service endpoint overrides ({@code soi.aws.endpoints.s3|sqs|athena|events|glue}),
 *                             taking precedence over {@code endpoint}; for servers that speak one protocol each
 */
public record AwsProperties(String region, String endpoint, String bucket, String prefix, String queueUrl, String dlqUrl,
                            String athenaWorkgroup, String athenaOutputLocation, String eventBus, String env,
                            java.util.Map<String, String> endpoints) {
    public AwsProperties {
        required(region, "soi.aws.region (SOI_AWS_REGION or AWS_REGION)");
        required(bucket, "soi.aws.bucket (SOI_AWS_BUCKET)");
        required(queueUrl, "soi.aws.queue-url (SOI_AWS_QUEUE_URL)");
        required(dlqUrl, "soi.aws.dlq-url (SOI_AWS_DLQ_URL)");
        required(env, "soi.aws.env (SOI_ENV)");
        checkArgument(env.matches("[a-z][a-z0-9_]{0,30}"), "SOI_ENV must be lower-case letters, digits or _: %s", shown(env));
        endpoint = blankToNull(endpoint);
        if (endpoint != null) {
            URI uri = URI.create(endpoint);
            checkArgument(uri.getScheme() != null && uri.getHost() != null, "SOI_AWS_ENDPOINT must be an absolute URL: %s", shown(endpoint));
        }
        endpoints = endpoints == null ? java.util.Map.of() : java.util.Map.copyOf(endpoints);
        for (String service : endpoints.keySet()) {
            checkArgument(java.util.Set.of("s3", "sqs", "athena", "events", "glue").contains(service),
                    "soi.aws.endpoints.%s: the services are s3, sqs, athena, events and glue", service);
        }
        prefix = prefix == null ? "" : prefix;
        athenaWorkgroup = blankToNull(athenaWorkgroup);
        athenaOutputLocation = blankToNull(athenaOutputLocation);
        eventBus = blankToNull(eventBus) == null ? "default" : eventBus;
    }

    /** The endpoint override for one service (s3, sqs, athena, events), or null for AWS's own. */
    public String endpointFor(String service) {
        String specific = endpoints.get(service);
        return specific == null || specific.isBlank() ? endpoint : specific;
    }

    /** The Athena workgroup, which the batch's engine needs; the API runs no query and has none. */
    public String requireAthenaWorkgroup() {
        required(athenaWorkgroup, "soi.aws.athena-workgroup (SOI_AWS_ATHENA_WORKGROUP)");
        return athenaWorkgroup;
    }

    public String database() {
        return "df_trusted_" + env;
    }

    private static void required(String value, String name) {
        checkArgument(value != null && !value.isBlank(), "%s is required in AWS mode", name);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
