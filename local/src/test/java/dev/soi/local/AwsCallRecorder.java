package dev.soi.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Records every AWS operation one application calls, as the IAM action and resource ARN that AWS would
 * authorise it against. An operation it has no mapping for fails the recording, so a new kind of call cannot
 * slip past the IAM check unseen. Thread-safe.
 */
final class AwsCallRecorder implements ExecutionInterceptor {
    /** One authorised call: {@code s3:PutObject} on {@code arn:aws:s3:::bucket/key}. */
    record Call(String operation, String action, String resource) {}

    /** SDK operation → IAM action, where they differ by more than the service prefix. */
    private static final Map<String, String> S3_ACTIONS = Map.ofEntries(
            Map.entry("HeadObject", "s3:GetObject"),
            Map.entry("GetObject", "s3:GetObject"),
            Map.entry("PutObject", "s3:PutObject"),
            Map.entry("CreateMultipartUpload", "s3:PutObject"),
            Map.entry("UploadPart", "s3:PutObject"),
            Map.entry("CompleteMultipartUpload", "s3:PutObject"),
            Map.entry("AbortMultipartUpload", "s3:AbortMultipartUpload"),
            Map.entry("ListParts", "s3:ListMultipartUploadParts"),
            Map.entry("DeleteObject", "s3:DeleteObject"),
            Map.entry("ListObjectsV2", "s3:ListBucket"),
            Map.entry("ListObjects", "s3:ListBucket"),
            Map.entry("HeadBucket", "s3:ListBucket"));
    private static final Map<String, String> SQS_ACTIONS = Map.of(
            "SendMessageBatch", "sqs:SendMessage",
            "DeleteMessageBatch", "sqs:DeleteMessage",
            "ChangeMessageVisibilityBatch", "sqs:ChangeMessageVisibility");
    private static final Set<String> BUCKET_LEVEL = Set.of("ListObjectsV2", "ListObjects", "HeadBucket");

    private final String account;
    private final String region;
    private final String athenaWorkgroup;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> unmapped = new CopyOnWriteArrayList<>();

    AwsCallRecorder(String region, String account, String athenaWorkgroup) {
        this.region = region;
        this.account = account;
        this.athenaWorkgroup = athenaWorkgroup;
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    List<String> unmapped() {
        return List.copyOf(unmapped);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        SdkRequest request = context.request();
        List<Call> recorded = switch (service) {
            case "S3" -> s3(operation, request);
            case "Sqs" -> List.of(new Call(operation, SQS_ACTIONS.getOrDefault(operation, "sqs:" + operation),
                    queueArn(field(request, "QueueUrl"))));
            case "Athena" -> List.of(new Call(operation, "athena:" + operation,
                    "arn:aws:athena:" + region + ":" + account + ":workgroup/" + athenaWorkgroup));
            case "EventBridge" -> events(operation, request);
            case "Glue" -> List.of(new Call(operation, "glue:" + operation, "arn:aws:glue:" + region + ":" + account + ":table/"
                    + field(request, "DatabaseName") + "/" + field(request, "TableName")));
            default -> null;
        };
        if (recorded == null) {
            unmapped.add(service + "." + operation);
        } else {
            calls.addAll(recorded);
        }
    }

    private List<Call> s3(String operation, SdkRequest request) {
        String bucket = field(request, "Bucket");
        if (request instanceof DeleteObjectsRequest delete) {
            // DeleteObjects is authorised as s3:DeleteObject on each key it names.
            List<Call> each = new ArrayList<>();
            for (ObjectIdentifier id : delete.delete().objects()) {
                each.add(new Call(operation, "s3:DeleteObject", "arn:aws:s3:::" + bucket + "/" + id.key()));
            }
            return each;
        }
        String action = S3_ACTIONS.get(operation);
        if (action == null) {
            return null;
        }
        String resource = BUCKET_LEVEL.contains(operation) ? "arn:aws:s3:::" + bucket : "arn:aws:s3:::" + bucket + "/" + field(request, "Key");
        return List.of(new Call(operation, action, resource));
    }

    private List<Call> events(String operation, SdkRequest request) {
        if (!(request instanceof PutEventsRequest put)) {
            return null;
        }
        List<Call> each = new ArrayList<>();
        for (PutEventsRequestEntry entry : put.entries()) {
            String bus = entry.eventBusName() == null ? "default" : entry.eventBusName();
            each.add(new Call(operation, "events:PutEvents",
                    bus.startsWith("arn:") ? bus : "arn:aws:events:" + region + ":" + account + ":event-bus/" + bus));
        }
        return each;
    }

    private String queueArn(String queueUrl) {
        return "arn:aws:sqs:" + region + ":" + account + ":" + queueUrl.substring(queueUrl.lastIndexOf('/') + 1);
    }

    private static String field(SdkRequest request, String name) {
        return request.getValueForField(name, String.class)
                .orElseThrow(() -> new IllegalStateException(request.getClass().getSimpleName() + " has no " + name));
    }
}
