package dev.soi.core.message;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.StoredObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The queue message format, version {@value #SCHEMA_VERSION}. A message body is either the submission
 * itself:
 * <pre>{"schema_version":1,"submission_id":"0190…","accepted_at":"2026-11-23T03:25:00.123Z",
 *  "business_unit":"AE","submitted_by":"alice","packages":[{"package_name":"job_1","reference_ids":[123,456]}]}</pre>
 * or, when that would exceed the queue's size limit, a claim check pointing at the same document in the
 * object store: <pre>{"schema_version":1,"submission_id":"…","business_unit":"AE","payload_key":"_payloads/….json"}</pre>
 * An empty {@code reference_ids} list is a deletion. Messages also carry the attributes
 * {@value #ATTR_BUSINESS_UNIT}, {@value #ATTR_SCHEMA_VERSION} and {@value #ATTR_SUBMISSION_ID}, so queue
 * tooling can route and inspect without parsing bodies. Thread-safe.
 */
public final class SubmissionMessages {
    public static final int SCHEMA_VERSION = 1;
    public static final String ATTR_BUSINESS_UNIT = "soi-business-unit";
    public static final String ATTR_SCHEMA_VERSION = "soi-schema-version";
    public static final String ATTR_SUBMISSION_ID = "soi-submission-id";
    /** Room left for message attributes, which SQS counts toward the size limit. */
    static final int ATTRIBUTE_ALLOWANCE = 1024;

    private final JsonMapper json = JsonMapper.builder().build();
    private final ObjectStore payloads;

    /** @param payloads where claim-check bodies go ({@code _payloads/}); the data store. */
    public SubmissionMessages(ObjectStore payloads) {
        this.payloads = requireNonNull(payloads, "payload store");
    }

    /**
     * The message for a submission. A body larger than {@code maxMessageBytes} (less room for the
     * attributes) is stored under {@code _payloads/} first, and the message carries its key.
     */
    public QueueMessage toMessage(Submission submission, int maxMessageBytes) {
        byte[] body = encode(submission).getBytes(StandardCharsets.UTF_8);
        Map<String, String> attributes = Map.of(
                ATTR_BUSINESS_UNIT, submission.businessUnit().code(),
                ATTR_SCHEMA_VERSION, Integer.toString(SCHEMA_VERSION),
                ATTR_SUBMISSION_ID, submission.id().toString());
        if (body.length <= maxMessageBytes - ATTRIBUTE_ALLOWANCE) {
            return new QueueMessage(new String(body, StandardCharsets.UTF_8), attributes);
        }
        String key = StorageLayout.payloadKey(submission.id());
        payloads.put(key, body);
        ObjectNode pointer = json.createObjectNode();
        pointer.put("schema_version", SCHEMA_VERSION);
        pointer.put("submission_id", submission.id().toString());
        pointer.put("business_unit", submission.businessUnit().code());
        pointer.put("payload_key", key);
        return new QueueMessage(json.writeValueAsString(pointer), attributes);
    }

    /** The full JSON document of a submission. */
    public String encode(Submission submission) {
        ObjectNode root = json.createObjectNode();
        root.put("schema_version", SCHEMA_VERSION);
        root.put("submission_id", submission.id().toString());
        root.put("accepted_at", submission.acceptedAt().toString());
        root.put("business_unit", submission.businessUnit().code());
        root.put("submitted_by", submission.submittedBy());
        ArrayNode packages = root.putArray("packages");
        for (PackageChange change : submission.changes()) {
            ObjectNode node = packages.addObject();
            node.put("package_name", change.packageName().value());
            ArrayNode ids = node.putArray("reference_ids");
            change.referenceIds().forEach(ids::add);
        }
        return json.writeValueAsString(root);
    }

    /**
     * Reads a message body back into a submission, following a claim check if there is one.
     *
     * @throws InvalidMessageException if the body can never become a valid submission
     * @throws dev.soi.core.port.ObjectStoreException if the payload store failed (retry later)
     */
    public Submission decode(String body) {
        return decode(body, new long[1]);
    }

    private Submission decode(String body, long[] payloadBytes) {
        JsonNode root = parse(body);
        int version = root.path("schema_version").asInt(-1);
        if (version != SCHEMA_VERSION) {
            throw new InvalidMessageException("unknown schema_version " + root.path("schema_version") + "; this batch reads version " + SCHEMA_VERSION);
        }
        if (root.has("payload_key")) {
            String key = text(root, "payload_key");
            if (!key.startsWith(StorageLayout.PAYLOADS_PREFIX)) {
                throw new InvalidMessageException("payload_key must be under " + StorageLayout.PAYLOADS_PREFIX + ": " + key);
            }
            Optional<StoredObject> payload = payloads.get(key);
            if (payload.isEmpty()) {
                throw new InvalidMessageException("claim-check payload " + key + " does not exist");
            }
            payloadBytes[0] += payload.get().content().length;
            Submission submission = decode(new String(payload.get().content(), StandardCharsets.UTF_8));
            if (!submission.id().toString().equals(text(root, "submission_id"))) {
                throw new InvalidMessageException("claim-check payload " + key + " holds submission " + submission.id()
                        + ", not " + text(root, "submission_id"));
            }
            return submission;
        }
        try {
            SubmissionId id = SubmissionId.parse(text(root, "submission_id"));
            Instant acceptedAt = Instant.parse(text(root, "accepted_at"));
            BusinessUnit unit = BusinessUnit.of(text(root, "business_unit"));
            String submittedBy = text(root, "submitted_by");
            JsonNode packages = root.path("packages");
            if (!packages.isArray()) {
                throw new InvalidMessageException("packages must be an array");
            }
            List<PackageChange> changes = new ArrayList<>(packages.size());
            for (JsonNode node : packages) {
                JsonNode ids = node.path("reference_ids");
                if (!ids.isArray()) {
                    throw new InvalidMessageException("reference_ids must be an array");
                }
                List<Long> values = new ArrayList<>(ids.size());
                for (JsonNode id2 : ids) {
                    if (!id2.isIntegralNumber() || !id2.canConvertToLong()) {
                        throw new InvalidMessageException("reference id is not a 64-bit integer: " + id2);
                    }
                    values.add(id2.longValue());
                }
                changes.add(new PackageChange(PackageName.of(text(node, "package_name")), values));
            }
            return new Submission(id, acceptedAt, submittedBy, unit, changes);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new InvalidMessageException("invalid submission: " + e.getMessage(), e);
        }
    }

    /**
     * A message read back: the submission and the bytes of the claim-check payload it was read from (0 for a
     * submission carried in the body itself).
     */
    public record Read(Submission submission, long payloadBytes) {}

    /**
     * {@link #decode(String)}, also reporting how many payload bytes were read from the object store, so a
     * drain can count them in its byte budget: a pointer message is a few hundred bytes, its payload up to the
     * API's body limit.
     */
    public Read read(String body) {
        JsonNode root = parse(body);
        if (!root.has("payload_key")) {
            return new Read(decode(body), 0);
        }
        long[] bytes = {0};
        Submission submission = decode(body, bytes);
        return new Read(submission, bytes[0]);
    }

    /** The payload key a claim-check message points at, if it is one (for cleanup after commit). */
    public Optional<String> payloadKey(String body) {
        try {
            JsonNode root = json.readTree(body);
            return root.hasNonNull("payload_key") ? Optional.of(root.get("payload_key").asString()) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty();
        }
    }

    private JsonNode parse(String body) {
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !root.isObject()) {
                throw new InvalidMessageException("message body is not a JSON object");
            }
            return root;
        } catch (JacksonException e) {
            throw new InvalidMessageException("message body is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString()) {
            throw new InvalidMessageException(field + " must be a string");
        }
        return value.asString();
    }
}
