package dev.soi.core.readmodel;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.SubmissionId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of the read model's objects: the batch writes it, the API reads it. Field names are the API's wire names, and
 * the same document always encodes to the same bytes (a publication compares them to skip unchanged pages). Decoding
 * checks every field and throws {@link UnreadableReadModelException} naming the key. Thread-safe.
 */
public final class ReadModelCodec {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public byte[] encode(PackageDocument document) {
        ObjectNode node = JSON.createObjectNode().put("business_unit", document.unit().code())
                .put("package_name", document.name().value());
        ArrayNode ids = node.putArray("reference_ids");
        document.referenceIds().forEach(ids::add);
        node.put("event_timestamp", document.eventTimestamp().toString()).put("submission_id", document.submissionId().toString());
        if (document.deleted()) {
            node.put("deleted", true);
        }
        return JSON.writeValueAsBytes(node);
    }

    public PackageDocument decodePackage(String key, byte[] content) {
        return decode(key, content, node -> {
            List<Long> ids = new ArrayList<>();
            for (JsonNode id : array(node, "reference_ids")) {
                if (!id.isIntegralNumber()) {
                    throw new IllegalArgumentException("reference_ids holds " + id);
                }
                ids.add(id.asLong());
            }
            return new PackageDocument(BusinessUnit.of(text(node, "business_unit")), PackageName.of(text(node, "package_name")), ids,
                    Instant.parse(text(node, "event_timestamp")), SubmissionId.parse(text(node, "submission_id")),
                    node.path("deleted").asBoolean(false));
        });
    }

    public byte[] encode(IndexPage page) {
        ObjectNode node = JSON.createObjectNode().put("business_unit", page.unit().code()).put("page", page.number())
                .put("last", page.last());
        ArrayNode packages = node.putArray("packages");
        for (IndexEntry entry : page.entries()) {
            packages.addObject().put("package_name", entry.name().value()).put("reference_ids_count", entry.referenceIdsCount())
                    .put("event_timestamp", entry.eventTimestamp().toString()).put("submission_id", entry.submissionId().toString())
                    .put("object_bytes", entry.objectBytes());
        }
        return JSON.writeValueAsBytes(node);
    }

    public IndexPage decodePage(String key, byte[] content) {
        return decode(key, content, node -> {
            List<IndexEntry> entries = new ArrayList<>();
            for (JsonNode entry : array(node, "packages")) {
                entries.add(entry(entry));
            }
            return new IndexPage(BusinessUnit.of(text(node, "business_unit")), (int) number(node, "page"), entries,
                    node.path("last").asBoolean(false));
        });
    }

    /**
     * What a listing request needs of a stored page: the packages at positions {@code [from, to)} in it, decoded and
     * checked, and of the others only their names, to check the page's order and size with {@link IndexPage}'s own checks. A
     * request for 100 packages thus decodes 100 entries of a 1,000-package page, not all of them: decoding a whole page
     * (1,000 timestamps, ids and names) cost about 6 ms of CPU, several times a package GET.
     */
    public IndexPages.Part decodePagePart(String key, byte[] content, int from, int to) {
        return decode(key, content, node -> {
            JsonNode packages = array(node, "packages");
            BusinessUnit unit = BusinessUnit.of(text(node, "business_unit"));
            int number = (int) number(node, "page");
            boolean last = node.path("last").asBoolean(false);
            int size = packages.size();
            IndexPage.checkSize(unit, number, size, last);
            List<IndexEntry> entries = new ArrayList<>(Math.max(0, Math.min(to, size) - from));
            String previous = null;
            for (int i = 0; i < size; i++) {
                JsonNode entry = packages.get(i);
                String name = text(entry, "package_name");
                if (previous != null) {
                    IndexPage.checkOrder(unit, number, previous, name);
                }
                previous = name;
                if (i >= from && i < to) {
                    entries.add(entry(entry));
                }
            }
            return new IndexPages.Part(unit, number, size, last, entries);
        });
    }

    private static IndexEntry entry(JsonNode entry) {
        return new IndexEntry(PackageName.of(text(entry, "package_name")), number(entry, "reference_ids_count"),
                Instant.parse(text(entry, "event_timestamp")), SubmissionId.parse(text(entry, "submission_id")),
                entry.path("object_bytes").asLong(0));
    }

    public byte[] encode(SubmissionStatusDocument status) {
        ObjectNode node = JSON.createObjectNode().put("submission_id", status.submissionId().toString())
                .put("business_unit", status.unit().code()).put("status", "APPLIED");
        if (status.supersededBy() != null) {
            node.put("superseded_by", status.supersededBy().toString());
        }
        return JSON.writeValueAsBytes(node);
    }

    public SubmissionStatusDocument decodeStatus(String key, byte[] content) {
        return decode(key, content, node -> {
            if (!"APPLIED".equals(text(node, "status"))) {
                throw new IllegalArgumentException("status is " + node.get("status"));
            }
            String by = node.path("superseded_by").asString(null);
            return new SubmissionStatusDocument(BusinessUnit.of(text(node, "business_unit")), SubmissionId.parse(text(node, "submission_id")),
                    by == null ? null : SubmissionId.parse(by));
        });
    }

    public byte[] encode(PublishedMarker marker) {
        return JSON.writeValueAsBytes(JSON.createObjectNode().put("latest_version", marker.latestVersion()).put("run_id", marker.runId())
                .put("complete", marker.complete()).put("published_at", marker.publishedAt().toString()));
    }

    public PublishedMarker decodeMarker(String key, byte[] content) {
        return decode(key, content, node -> new PublishedMarker(text(node, "latest_version"), text(node, "run_id"),
                node.path("complete").asBoolean(false), Instant.parse(text(node, "published_at"))));
    }

    private interface Reader<T> {
        T read(JsonNode node);
    }

    private static <T> T decode(String key, byte[] content, Reader<T> reader) {
        try {
            JsonNode node = JSON.readTree(content);
            if (node == null || !node.isObject()) {
                throw new UnreadableReadModelException(key, "not a JSON object", null);
            }
            return reader.read(node);
        } catch (JacksonException | IllegalArgumentException | java.time.DateTimeException e) {
            throw new UnreadableReadModelException(key, e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException(field + " is missing or not a string");
        }
        return value.asString();
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber()) {
            throw new IllegalArgumentException(field + " is missing or not an integer");
        }
        return value.asLong();
    }

    private static JsonNode array(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new IllegalArgumentException(field + " is missing or not an array");
        }
        return value;
    }
}
