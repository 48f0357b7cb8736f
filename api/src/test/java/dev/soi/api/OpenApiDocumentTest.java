package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document checked in at {@code api/openapi.json} is the one the code serves. On a mismatch,
 * regenerate it with:
 * <pre>mvn -B -q -pl api -am test -Dtest=OpenApiDocumentTest -Dsurefire.failIfNoSpecifiedTests=false -Dsoi.openapi.write=true</pre>
 * and review the diff.
 */
class OpenApiDocumentTest extends ApiTestSupport {
    static final Path CHECKED_IN = Path.of("openapi.json");
    static final String REGENERATE = "mvn -B -q -pl api -am test -Dtest=OpenApiDocumentTest -Dsurefire.failIfNoSpecifiedTests=false -Dsoi.openapi.write=true";
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    @Test
    void theCheckedInDocumentMatchesTheServedOne() throws Exception {
        byte[] served = mvc.perform(get("/v3/api-docs")).andReturn().getResponse().getContentAsByteArray();
        String actual = normalise(served);

        if (Boolean.getBoolean("soi.openapi.write")) {
            Files.writeString(CHECKED_IN, actual, StandardCharsets.UTF_8);
        }
        assertThat(CHECKED_IN).as("api/openapi.json is missing; create it with: " + REGENERATE).exists();
        String expected = normalise(Files.readAllBytes(CHECKED_IN));
        if (!expected.equals(actual)) {
            fail("api/openapi.json differs from /v3/api-docs; first difference: " + firstDifference(expected, actual)
                    + "\nRegenerate with: " + REGENERATE);
        }
    }

    @Test
    void theDocumentDescribesEveryEndpoint() throws Exception {
        JsonNode doc = JSON.readTree(Files.readAllBytes(CHECKED_IN));
        assertThat(doc.get("paths").propertyNames()).containsExactlyInAnyOrder(
                "/api/v1/security-of-interest/{businessUnit}",
                "/api/v1/security-of-interest/{businessUnit}/packages",
                "/api/v1/security-of-interest/{businessUnit}/packages/{packageName}",
                "/api/v1/security-of-interest/{businessUnit}/submissions/{submissionId}");
        assertThat(doc.at("/components/schemas/SubmissionRequest")).isNotNull();
        assertThat(doc.at("/paths/~1api~1v1~1security-of-interest~1{businessUnit}/post/responses").propertyNames())
                .containsAll(List.of("202", "400", "401", "403", "404", "413", "422", "503"));
    }

    /** Sorted keys, fixed indentation, and no {@code servers}, which echo the request's host. */
    static String normalise(byte[] json) {
        JsonNode tree = CANONICAL.readTree(json);
        if (tree instanceof ObjectNode object) {
            object.remove("servers");
        }
        Object sorted = CANONICAL.treeToValue(tree, Object.class);
        return CANONICAL.writeValueAsString(sorted) + "\n";
    }

    private static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n");
        String[] a = actual.split("\n");
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<end>";
            String al = i < a.length ? a[i] : "<end>";
            if (!el.equals(al)) {
                return "line " + (i + 1) + ": checked in `" + el.strip() + "`, served `" + al.strip() + "`";
            }
        }
        return "none";
    }
}
