package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

/**
 * Bad bodies, each answered with a problem naming the bad fields, and nothing queued or stored. Limits
 * in this context: 64 KB bodies, 5 packages, 20 ids per package, nesting depth 8.
 */
class BadInputCorpusTest extends ApiTestSupport {

    record Case(String name, byte[] body, String contentType, int status, String slug, List<String> pointers, String firstDetail) {
        @Override
        public String toString() {
            return name;
        }

        Case detail(String detail) {
            return new Case(name, body, contentType, status, slug, pointers, detail);
        }
    }

    private static Case bad(String name, String body, String... pointers) {
        return new Case(name, body.getBytes(StandardCharsets.UTF_8), "application/json", 400, "invalid-body", List.of(pointers), null);
    }

    private static Case malformed(String name, String body) {
        return malformed(name, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Case malformed(String name, byte[] body) {
        return new Case(name, body, "application/json", 400, "malformed-json", List.of(""), null);
    }

    private static Case tooLarge(String name, String body) {
        return new Case(name, body.getBytes(StandardCharsets.UTF_8), "application/json", 413, "body-too-large", List.of(), null);
    }

    private static String pkg(String nameJson, String idsJson) {
        return "{\"packages\":[{\"package_name\":" + nameJson + ",\"reference_ids\":" + idsJson + "}]}";
    }

    private static String ids(String idsJson) {
        return pkg("\"job_1\"", idsJson);
    }

    static Stream<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        // Not JSON at all, or not a whole JSON document.
        cases.add(malformed("empty body", "").detail("request body is empty"));
        cases.add(malformed("only whitespace", "   \n "));
        cases.add(malformed("truncated after the brace", "{")
                .detail("request body is not valid JSON (line 1, column 2): Unexpected end-of-input: expected close marker for Object"));
        cases.add(malformed("truncated inside the id list", "{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[1,2"));
        cases.add(malformed("truncated inside a string", "{\"packages\":[{\"package_name\":\"jo"));
        cases.add(malformed("trailing garbage", ids("[1]") + " x"));
        cases.add(malformed("two documents", "{} {}"));
        cases.add(malformed("single quotes", "{'packages':[]}"));
        cases.add(malformed("comment", "{/* hi */\"packages\":[]}"));
        cases.add(malformed("NaN as an id", ids("[NaN]")).detail("request body is not valid JSON (line 1, column 58): Non-standard token 'NaN'"));
        cases.add(malformed("leading zero", ids("[0123]")));
        cases.add(malformed("a 50-digit number", ids("[" + "9".repeat(50) + "]")).detail("request body holds a number longer than 40 digits"));
        cases.add(malformed("duplicate key", "{\"packages\":[],\"packages\":[]}")
                .detail("request body is not valid JSON (line 1, column 26): Duplicate Object property \"packages\""));
        cases.add(malformed("deeply nested arrays", "[".repeat(10_000) + "]".repeat(10_000))
                .detail("request body nests deeper than 8 levels (soi.api.limits.max-nesting-depth)"));
        cases.add(malformed("nesting over the limit inside ids", ids("[[[[[[[[[1]]]]]]]]]")));
        cases.add(malformed("invalid UTF-8", new byte[] {'{', '"', 'p', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}));
        // Valid JSON of the wrong shape.
        cases.add(bad("null document", "null", "").detail("body must be a JSON object with a \"packages\" array, not null"));
        cases.add(bad("array document", "[]", ""));
        cases.add(bad("number document", "42", ""));
        cases.add(bad("string document", "\"AE\"", ""));
        cases.add(bad("no packages field", "{}", "/packages").detail("is required"));
        cases.add(bad("packages null", "{\"packages\":null}", "/packages").detail("must be an array of packages, not null"));
        cases.add(bad("packages is an object", "{\"packages\":{}}", "/packages"));
        cases.add(bad("packages is a string", "{\"packages\":\"job_1\"}", "/packages"));
        cases.add(bad("empty package list", "{\"packages\":[]}", "/packages").detail("must hold at least one package"));
        cases.add(bad("too many packages", "{\"packages\":[" + String.join(",", java.util.Collections.nCopies(6,
                "{\"package_name\":\"a\",\"reference_ids\":[1]}")) + "]}", "/packages")
                .detail("holds 6 packages; at most 5 are allowed per submission (soi.api.limits.max-packages-per-submission)"));
        cases.add(bad("a package is null", "{\"packages\":[null]}", "/packages/0"));
        cases.add(bad("a package is a number", "{\"packages\":[42]}", "/packages/0"));
        cases.add(bad("unknown top-level field", "{\"packages\":[{\"package_name\":\"a\",\"reference_ids\":[1]}],\"extra\":1}", "/extra")
                .detail("unknown field \"extra\"; allowed: [packages]"));
        cases.add(bad("unknown field with a slash is escaped", "{\"a/b~c\":1,\"packages\":[{\"package_name\":\"a\",\"reference_ids\":[1]}]}", "/a~1b~0c"));
        cases.add(bad("a 30,000-character unknown field is not echoed whole", "{\"" + "f".repeat(30_000) + "\":1,\"packages\":[{\"package_name\":\"a\",\"reference_ids\":[1]}]}", "")
                .detail("unknown field \"" + "f".repeat(80) + "…(30000 chars)\"; allowed: [packages]"));
        cases.add(bad("camelCase typo does not become a deletion", "{\"packages\":[{\"package_name\":\"a\",\"referenceIds\":[1]}]}",
                "/packages/0/referenceIds", "/packages/0/reference_ids"));
        // Package names.
        cases.add(bad("missing name", "{\"packages\":[{\"reference_ids\":[1]}]}", "/packages/0/package_name").detail("is required"));
        cases.add(bad("null name", pkg("null", "[1]"), "/packages/0/package_name").detail("must be a string, not null"));
        cases.add(bad("number as name", pkg("123", "[1]"), "/packages/0/package_name"));
        cases.add(bad("empty name", pkg("\"\"", "[1]"), "/packages/0/package_name").detail("package name is empty"));
        cases.add(bad("129-character name", pkg("\"" + "a".repeat(129) + "\"", "[1]"), "/packages/0/package_name"));
        cases.add(bad("10,000-character name", pkg("\"" + "a".repeat(10_000) + "\"", "[1]"), "/packages/0/package_name"));
        cases.add(bad("space in name", pkg("\"job 1\"", "[1]"), "/packages/0/package_name"));
        cases.add(bad("unicode letter in name", pkg("\"jöb\"", "[1]"), "/packages/0/package_name"));
        cases.add(bad("emoji in name", pkg("\"job\uD83D\uDE00\"", "[1]"), "/packages/0/package_name"));
        cases.add(bad("escaped NUL in name", pkg("\"job\\u0000\"", "[1]"), "/packages/0/package_name")
                .detail("package name may hold only A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit: \"job\\u0000\""));
        cases.add(bad("newline in name", pkg("\"job\\n1\"", "[1]"), "/packages/0/package_name"));
        cases.add(bad("path traversal name", pkg("\"../etc\"", "[1]"), "/packages/0/package_name"));
        cases.add(bad("slash in name", pkg("\"job/1\"", "[1]"), "/packages/0/package_name"));
        cases.add(bad("SQL in name", pkg("\"job'; DROP TABLE x;--\"", "[1]"), "/packages/0/package_name"));
        cases.add(bad("name starting with underscore", pkg("\"_job\"", "[1]"), "/packages/0/package_name"));
        cases.add(bad("duplicate package names", "{\"packages\":[{\"package_name\":\"a\",\"reference_ids\":[1]},"
                + "{\"package_name\":\"b\",\"reference_ids\":[2]},{\"package_name\":\"a\",\"reference_ids\":[3]}]}", "/packages/2/package_name")
                .detail("duplicate package name \"a\"; it already appears at /packages/0"));
        // Reference ids.
        cases.add(bad("missing ids", "{\"packages\":[{\"package_name\":\"a\"}]}", "/packages/0/reference_ids")
                .detail("is required (an empty array deletes the package)"));
        cases.add(bad("null ids", ids("null"), "/packages/0/reference_ids"));
        cases.add(bad("ids as a string", ids("\"1,2\""), "/packages/0/reference_ids"));
        cases.add(bad("ids as a number", ids("5"), "/packages/0/reference_ids"));
        cases.add(bad("ids as an object", ids("{\"0\":1}"), "/packages/0/reference_ids"));
        cases.add(bad("string id", ids("[1,\"123\"]"), "/packages/0/reference_ids/1")
                .detail("must be an integer reference id, not a string \"123\""));
        cases.add(bad("null id", ids("[null]"), "/packages/0/reference_ids/0").detail("must be an integer reference id, not null"));
        cases.add(bad("boolean id", ids("[true]"), "/packages/0/reference_ids/0"));
        cases.add(bad("float id", ids("[1.5]"), "/packages/0/reference_ids/0").detail("must be an integer reference id, not the number 1.5"));
        cases.add(bad("integral float id", ids("[1.0]"), "/packages/0/reference_ids/0"));
        cases.add(bad("exponent id", ids("[1e3]"), "/packages/0/reference_ids/0"));
        cases.add(bad("nested array id", ids("[[1]]"), "/packages/0/reference_ids/0"));
        cases.add(bad("object id", ids("[{\"id\":1}]"), "/packages/0/reference_ids/0"));
        cases.add(bad("negative id", ids("[-1]"), "/packages/0/reference_ids/0")
                .detail("reference id must be between 1 and 9007199254740991: -1"));
        cases.add(bad("zero id", ids("[0]"), "/packages/0/reference_ids/0"));
        cases.add(bad("id above 2^53-1", ids("[9007199254740992]"), "/packages/0/reference_ids/0"));
        cases.add(bad("id above Long.MAX_VALUE", ids("[9223372036854775808]"), "/packages/0/reference_ids/0"));
        cases.add(bad("30-digit id", ids("[123456789012345678901234567890]"), "/packages/0/reference_ids/0"));
        cases.add(bad("too many ids", ids("[" + String.join(",", java.util.stream.IntStream.rangeClosed(1, 21).mapToObj(String::valueOf).toList()) + "]"),
                "/packages/0/reference_ids").detail("holds 21 reference ids; at most 20 are allowed per package (soi.api.limits.max-ids-per-package)"));
        cases.add(bad("every bad field is reported", "{\"packages\":[{\"package_name\":\"\",\"reference_ids\":[1,\"x\",-5]},"
                + "{\"package_name\":\"ok\",\"reference_ids\":[null]}]}",
                "/packages/0/package_name", "/packages/0/reference_ids/1", "/packages/0/reference_ids/2", "/packages/1/reference_ids/0"));
        // Size and media type.
        cases.add(tooLarge("1 MB name", pkg("\"" + "a".repeat(1 << 20) + "\"", "[1]")));
        cases.add(tooLarge("body just over 64 KB", ids("[1]") + " ".repeat(64 * 1024)));
        cases.add(new Case("text/plain body", ids("[1]").getBytes(StandardCharsets.UTF_8), "text/plain", 415, "unsupported-media-type", List.of(), null)
                .detail(null));
        cases.add(new Case("form body", "packages=1".getBytes(StandardCharsets.UTF_8), "application/x-www-form-urlencoded", 415,
                "unsupported-media-type", List.of(), null));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachBadBodyGetsAProblemAndNothingIsQueued(Case c) throws Exception {
        MvcResult result = mvc.perform(post(AE).header("Authorization", token("alice", "AE"))
                .contentType(c.contentType()).content(c.body())).andReturn();

        assertThat(result.getResponse().getStatus()).as(c.name()).isEqualTo(c.status());
        assertThat(result.getResponse().getContentType()).isEqualTo("application/problem+json");
        JsonNode problem = json(result);
        assertThat(problem.get("type").asString()).isEqualTo("urn:soi:problem:" + c.slug());
        assertThat(problem.get("status").asInt()).isEqualTo(c.status());
        assertThat(problem.get("instance").asString()).isEqualTo(AE);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        if (c.pointers().isEmpty()) {
            assertThat(problem.has("errors")).isFalse();
        } else {
            List<Map<String, String>> errors = errors(problem);
            assertThat(errors).extracting(e -> e.get("pointer")).containsExactlyElementsOf(c.pointers());
            assertThat(errors).allSatisfy(e -> assertThat(e.get("detail")).isNotBlank());
            if (c.firstDetail() != null) {
                assertThat(errors.get(0).get("detail")).isEqualTo(c.firstDetail());
            }
        }
        assertThat(queue.sent()).isEmpty();
        assertThat(store.objects()).isEmpty();
    }
}
