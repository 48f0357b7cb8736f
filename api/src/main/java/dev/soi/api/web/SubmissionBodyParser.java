package dev.soi.api.web;

import static dev.soi.core.domain.Checks.show;

import dev.soi.api.ApiProperties;
import dev.soi.api.web.Problem.FieldProblem;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.ReferenceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a POST body into package changes, or into one {@link FieldProblem} per bad field.
 *
 * <p>The body is read as a JSON tree rather than bound to a DTO so that every bad value gets its own JSON
 * pointer (binding stops at the first error and coerces {@code "123"} or {@code 1.0} into numbers). Parsing
 * is strict: duplicate keys, trailing tokens, deep nesting and overlong numbers are refused by the parser
 * itself, unknown fields by the walk below, so a typo such as {@code referenceIds} cannot silently turn a
 * package into a deletion. Thread-safe.
 */
public final class SubmissionBodyParser {
    /** More errors than this are summarised in one last entry; a 10,000-id list of strings gives a readable answer. */
    public static final int MAX_ERRORS = 100;
    /** Digits in one number; anything longer cannot be a reference id and is refused by the parser. */
    static final int MAX_NUMBER_LENGTH = 40;
    static final int MAX_ECHOED_NAME = 200;
    private static final Set<String> TOP_LEVEL_FIELDS = Set.of("packages");
    private static final Set<String> PACKAGE_FIELDS = Set.of("package_name", "reference_ids");

    private final ApiProperties.Limits limits;
    private final JsonMapper json;

    public SubmissionBodyParser(ApiProperties.Limits limits) {
        this.limits = limits;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxNestingDepth())
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.json = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** @throws ApiProblem 400 malformed-json or invalid-body */
    public List<PackageChange> parse(byte[] body) {
        JsonNode root = readTree(body);
        Errors errors = new Errors();
        if (root.isArray()) {
            // The shape of the original design; say exactly what changed.
            errors.add("", "body is a bare array; wrap it in an object: {\"packages\": [ …your array… ]}");
            throw errors.toProblem();
        }
        if (!root.isObject()) {
            errors.add("", "body must be a JSON object with a \"packages\" array, not " + kind(root));
            throw errors.toProblem();
        }
        unknownFields(root, "", TOP_LEVEL_FIELDS, errors);
        JsonNode packages = root.get("packages");
        List<PackageChange> changes = new ArrayList<>();
        if (packages == null) {
            errors.add("/packages", "is required");
        } else if (!packages.isArray()) {
            errors.add("/packages", "must be an array of packages, not " + kind(packages));
        } else if (packages.isEmpty()) {
            errors.add("/packages", "must hold at least one package");
        } else if (packages.size() > limits.maxPackagesPerSubmission()) {
            errors.add("/packages", "holds " + packages.size() + " packages; at most " + limits.maxPackagesPerSubmission()
                    + " are allowed per submission (soi.api.limits.max-packages-per-submission)");
        } else {
            Map<String, Integer> firstIndexOfName = new HashMap<>();
            for (int i = 0; i < packages.size(); i++) {
                PackageChange change = parsePackage(packages.get(i), "/packages/" + i, errors);
                if (change != null) {
                    Integer first = firstIndexOfName.putIfAbsent(change.packageName().value(), i);
                    if (first != null) {
                        errors.add("/packages/" + i + "/package_name", "duplicate package name " + show(change.packageName().value())
                                + "; it already appears at /packages/" + first);
                    } else {
                        changes.add(change);
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw errors.toProblem();
        }
        return changes;
    }

    private PackageChange parsePackage(JsonNode node, String pointer, Errors errors) {
        if (!node.isObject()) {
            errors.add(pointer, "must be an object with package_name and reference_ids, not " + kind(node));
            return null;
        }
        unknownFields(node, pointer, PACKAGE_FIELDS, errors);
        PackageName name = null;
        JsonNode nameNode = node.get("package_name");
        if (nameNode == null) {
            errors.add(pointer + "/package_name", "is required");
        } else if (!nameNode.isString()) {
            errors.add(pointer + "/package_name", "must be a string, not " + kind(nameNode));
        } else {
            try {
                name = PackageName.of(nameNode.asString());
            } catch (IllegalArgumentException e) {
                errors.add(pointer + "/package_name", e.getMessage());
            }
        }
        List<Long> ids = parseIds(node.get("reference_ids"), pointer + "/reference_ids", errors);
        return name == null || ids == null ? null : new PackageChange(name, ids);
    }

    private List<Long> parseIds(JsonNode ids, String pointer, Errors errors) {
        if (ids == null) {
            errors.add(pointer, "is required (an empty array deletes the package)");
            return null;
        }
        if (!ids.isArray()) {
            errors.add(pointer, "must be an array of integers, not " + kind(ids));
            return null;
        }
        if (ids.size() > limits.maxIdsPerPackage()) {
            errors.add(pointer, "holds " + ids.size() + " reference ids; at most " + limits.maxIdsPerPackage()
                    + " are allowed per package (soi.api.limits.max-ids-per-package)");
            return null;
        }
        List<Long> values = new ArrayList<>(ids.size());
        boolean valid = true;
        for (int j = 0; j < ids.size(); j++) {
            JsonNode id = ids.get(j);
            if (!id.isIntegralNumber()) {
                errors.add(pointer + "/" + j, "must be an integer reference id, not " + kind(id));
                valid = false;
            } else if (!id.canConvertToLong() || !ReferenceId.isValid(id.longValue())) {
                errors.add(pointer + "/" + j, "reference id must be between " + ReferenceId.MIN + " and " + ReferenceId.MAX
                        + ": " + shorten(id.toString()));
                valid = false;
            } else {
                values.add(id.longValue());
            }
        }
        return valid ? values : null;
    }

    private JsonNode readTree(byte[] body) {
        if (body.length == 0) {
            throw malformed("request body is empty");
        }
        try {
            JsonNode root = json.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw malformed("request body holds no JSON value");
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw malformed(e.getOriginalMessage().contains("nesting depth")
                    ? "request body nests deeper than " + limits.maxNestingDepth() + " levels (soi.api.limits.max-nesting-depth)"
                    : e.getOriginalMessage().contains("Number value length")
                            ? "request body holds a number longer than " + MAX_NUMBER_LENGTH + " digits"
                            : "request body exceeds a parser limit: " + shorten(readable(e.getOriginalMessage())));
        } catch (JacksonException e) {
            String where = e.getLocation() == null || e.getLocation().getLineNr() < 0 ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw malformed("request body is not valid JSON" + where + ": " + shorten(readable(e.getOriginalMessage())));
        }
    }

    /** Jackson's messages name its own settings and source redaction; clients need only what is wrong. */
    static String readable(String message) {
        if (message == null) {
            return "unreadable";
        }
        return message.replaceAll("\\s*\\(start marker at .*$", "")
                .replaceAll(":?\\s*enable `[^`]*` to allow$", "")
                .replaceAll("\\s*\\(from `[^`]*`\\)", "")
                .replace("`", "");
    }

    private static ApiProblem malformed(String detail) {
        return new ApiProblem(ProblemType.MALFORMED_JSON, detail, List.of(FieldProblem.at("", detail)));
    }

    private static void unknownFields(JsonNode object, String pointer, Set<String> known, Errors errors) {
        for (String field : object.propertyNames()) {
            if (!known.contains(field)) {
                // A huge member name would be echoed whole in the pointer; past a sane length, point at its object.
                String at = field.length() <= MAX_ECHOED_NAME ? pointer + "/" + escape(field) : pointer;
                errors.add(at, "unknown field " + show(field) + "; allowed: " + known.stream().sorted().toList());
            }
        }
    }

    /** RFC 6901: {@code ~} and {@code /} in a member name are escaped in a pointer. */
    static String escape(String field) {
        return field.replace("~", "~0").replace("/", "~1");
    }

    private static String kind(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        if (node.isString()) {
            return "a string " + show(node.asString());
        }
        if (node.isNumber()) {
            return "the number " + shorten(node.toString());
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isObject()) {
            return "an object";
        }
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    private static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 200 ? text : text.substring(0, 200) + "…(" + text.length() + " chars)";
    }

    private static final class Errors {
        private final List<FieldProblem> list = new ArrayList<>();
        private int dropped;

        void add(String pointer, String detail) {
            if (list.size() < MAX_ERRORS) {
                list.add(FieldProblem.at(pointer, detail));
            } else {
                dropped++;
            }
        }

        boolean isEmpty() {
            return list.isEmpty();
        }

        ApiProblem toProblem() {
            List<FieldProblem> all = new ArrayList<>(list);
            int total = list.size() + dropped;
            String detail = total == 1 ? "1 field is invalid: " + list.get(0).pointer() + " " + list.get(0).detail()
                    : total + " fields are invalid" + (dropped > 0 ? "; the first " + MAX_ERRORS + " are listed" : "");
            return new ApiProblem(ProblemType.INVALID_BODY, detail, all);
        }
    }
}
