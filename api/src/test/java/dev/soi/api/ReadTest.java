package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

/**
 * The three GETs read the read model the batch publishes, one object per answer, and never ask the query engine
 * (the context has one, counting, as the local stack has one for its batch).
 */
class ReadTest extends ApiTestSupport {
    private static final Instant T1 = Instant.parse("2026-11-22T10:00:00.250Z");
    private static final String S1 = SubmissionId.generate(T1, new Random(1)).toString();
    private static final String S2 = SubmissionId.generate(T1.plusSeconds(60), new Random(2)).toString();
    private static final BusinessUnit UNIT = BusinessUnit.of("AE");

    private MvcResult getAs(String path, String... units) throws Exception {
        return mvc.perform(get(path).header("Authorization", token("alice", units))).andReturn();
    }

    @Test
    void aPackageReturnsItsLatestIdsAndVersionFromOneObject() throws Exception {
        readModel.published().version("AE", "job_1", T1, S1, 456, 123).version("CMF", "job_1", T1, S1, 999);
        store.forgetGets();

        MvcResult result = getAs(AE + "/packages/job_1", "AE");

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(result.getResponse().getContentAsString()).isEqualTo("{\"business_unit\":\"AE\",\"package_name\":\"job_1\","
                + "\"reference_ids\":[123,456],\"event_timestamp\":\"2026-11-22T10:00:00.250Z\",\"submission_id\":\"" + S1 + "\"}");
        assertThat(store.gets()).containsExactly(StorageLayout.readModelPackageKey(UNIT, PackageName.of("job_1")));
        assertThat(engine.statements()).isEmpty();
    }

    @Test
    void packagesWhoseNamesDifferOnlyInCaseAreTwoPackages() throws Exception {
        readModel.published().version("AE", "Job_1", T1, S1, 1).version("AE", "job_1", T1, S2, 2);

        assertThat(json(getAs(AE + "/packages/Job_1", "AE")).get("reference_ids").toString()).isEqualTo("[1]");
        assertThat(json(getAs(AE + "/packages/job_1", "AE")).get("reference_ids").toString()).isEqualTo("[2]");
    }

    @Test
    void aPackageNotInTheLatestTableIs404() throws Exception {
        readModel.published();

        assertProblem(getAs(AE + "/packages/job_9", "AE"), 404, "package-not-found", "Package is not in the latest table",
                "package job_9 of AE is not in the latest table (never applied, or deleted)", AE + "/packages/job_9");
        assertThat(engine.statements()).isEmpty();
    }

    @Test
    void aDeletedPackageIs404LikeOneNeverSubmitted() throws Exception {
        readModel.published().version("AE", "job_1", T1, S1, 1).deletion("AE", "job_1", T1.plusSeconds(60), S2);

        assertProblem(getAs(AE + "/packages/job_1", "AE"), 404, "package-not-found", "Package is not in the latest table",
                "package job_1 of AE is not in the latest table (never applied, or deleted)", AE + "/packages/job_1");
        assertThat(json(getAs(AE + "/packages", "AE")).get("packages").size()).isZero();
    }

    @Test
    void aBadPackageNameInThePathIs400() throws Exception {
        String detail = "package name may hold only A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit: \"_x\"";
        JsonNode problem = assertProblem(getAs(AE + "/packages/_x", "AE"), 400, "invalid-parameter", "Request parameter is invalid",
                detail, AE + "/packages/_x");
        assertThat(errors(problem)).containsExactly(Map.of("parameter", "packageName", "detail", detail));
        assertThat(store.gets()).isEmpty();
    }

    @Test
    void theStoreFailingIs503WithRetryAfter() throws Exception {
        readModel.published().version("AE", "job_1", T1, S1, 1);
        store.failing(true);

        for (String path : List.of("/packages/job_1", "/packages", "/submissions/" + S1)) {
            MvcResult result = getAs(AE + path, "AE");
            assertProblem(result, 503, "query-failed", "Read model is unavailable",
                    "the object store holding the read model did not answer; retry later", AE + path);
            assertThat(result.getResponse().getHeader("Retry-After")).isEqualTo("5");
        }
        assertThat(engine.statements()).isEmpty();
    }

    private static final String DAMAGED = "the read model's object for this request is damaged, so no answer from it can be "
            + "trusted; retry later, once the batch has published it again";

    @Test
    void aDamagedObjectIs503NotAWrongAnswer() throws Exception {
        readModel.published();
        store.put(StorageLayout.readModelPackageKey(UNIT, PackageName.of("job_1")), "{\"business_unit\":\"AE\"".getBytes(StandardCharsets.UTF_8));
        store.put(StorageLayout.readModelIndexPageKey(UNIT, 0), "[]".getBytes(StandardCharsets.UTF_8));

        assertProblem(getAs(AE + "/packages/job_1", "AE"), 503, "query-failed", "Read model is unavailable",
                DAMAGED, AE + "/packages/job_1");
        assertProblem(getAs(AE + "/packages", "AE"), 503, "query-failed", "Read model is unavailable",
                DAMAGED, AE + "/packages");
    }

    @Test
    void packagesArePagedByNameFromOneListingPage() throws Exception {
        readModel.published().version("AE", "c", T1, S1, 1).version("AE", "a", T1, S1, 1, 2).version("AE", "b", T1, S1, 7)
                .version("CMF", "z", T1, S1, 7);
        store.forgetGets();

        MvcResult first = getAs(AE + "/packages?page=0&size=2", "AE");
        MvcResult second = getAs(AE + "/packages?page=1&size=2", "AE");

        String version = ",\"event_timestamp\":\"2026-11-22T10:00:00.250Z\",\"submission_id\":\"" + S1 + "\"}";
        assertThat(first.getResponse().getContentAsString()).isEqualTo("{\"business_unit\":\"AE\",\"page\":0,\"size\":2,\"packages\":["
                + "{\"package_name\":\"a\",\"reference_ids_count\":2" + version + ",{\"package_name\":\"b\",\"reference_ids_count\":1" + version
                + "],\"has_next\":true}");
        assertThat(second.getResponse().getContentAsString()).isEqualTo("{\"business_unit\":\"AE\",\"page\":1,\"size\":2,\"packages\":["
                + "{\"package_name\":\"c\",\"reference_ids_count\":1" + version + "],\"has_next\":false}");
        assertThat(store.gets()).containsExactly(StorageLayout.readModelIndexPageKey(UNIT, 0), StorageLayout.readModelIndexPageKey(UNIT, 0));
        assertThat(engine.statements()).isEmpty();
    }

    @Test
    void aPageAcrossTwoListingPagesReadsBothAndEveryRequestAgreesWithTheSortedPackages() throws Exception {
        readModel.published();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            names.add(String.format("p%05d", i));
            readModel.version("AE", names.get(i), T1, S1, i + 1);
        }
        for (int[] request : new int[][] {{3, 300}, {4, 300}, {5, 300}, {0, 1000}, {1, 1000}, {2, 1000}, {14, 100}, {15, 100}, {214, 7}}) {
            store.forgetGets();
            JsonNode page = json(getAs(AE + "/packages?page=" + request[0] + "&size=" + request[1], "AE"));
            int from = Math.min(names.size(), request[0] * request[1]);
            int to = Math.min(names.size(), from + request[1]);
            assertThat(page.get("packages").valueStream().map(p -> p.get("package_name").asString()).toList())
                    .as("page %d of %d", request[0], request[1]).isEqualTo(names.subList(from, to));
            assertThat(page.get("has_next").asBoolean()).as("has_next of page %d of %d", request[0], request[1]).isEqualTo(to < names.size());
            assertThat(store.gets().size()).as("objects read for page %d of %d", request[0], request[1])
                    .isEqualTo(from == to ? 1 : 1 + (to - 1) / 1000 - from / 1000);
        }
    }

    @Test
    void pagingDefaultsTo100AndRejectsBadSizes() throws Exception {
        readModel.published();
        assertThat(json(getAs(AE + "/packages", "AE")).get("size").asInt()).isEqualTo(100);
        assertProblem(getAs(AE + "/packages?size=1001", "AE"), 400, "invalid-parameter", "Request parameter is invalid",
                "size must be an integer between 1 and 1000: \"1001\"", AE + "/packages");
        assertProblem(getAs(AE + "/packages?page=-1", "AE"), 400, "invalid-parameter", "Request parameter is invalid",
                "page must be an integer between 0 and 10000000: \"-1\"", AE + "/packages");
        assertProblem(getAs(AE + "/packages?size=abc", "AE"), 400, "invalid-parameter", "Request parameter is invalid",
                "size must be an integer between 1 and 1000: \"abc\"", AE + "/packages");
        assertThat(json(getAs(AE + "/packages?page=10000000&size=1000", "AE")).get("packages").size()).isZero();
    }

    @Test
    void aSubmissionIsQueuedUntilTheBatchPublishesItsStatusThenAppliedFromOneObject() throws Exception {
        readModel.published();
        String id = json(mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(AE)
                .header("Authorization", token("alice", "AE")).contentType("application/json")
                .content("{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[1]}]}")).andReturn()).get("submission_id").asString();

        MvcResult queued = getAs(AE + "/submissions/" + id, "AE");
        readModel.applied("AE", id, null);
        store.forgetGets();
        MvcResult applied = getAs(AE + "/submissions/" + id, "AE");

        assertThat(queued.getResponse().getContentAsString())
                .isEqualTo("{\"submission_id\":\"" + id + "\",\"business_unit\":\"AE\",\"status\":\"QUEUED\"}");
        assertThat(applied.getResponse().getContentAsString())
                .isEqualTo("{\"submission_id\":\"" + id + "\",\"business_unit\":\"AE\",\"status\":\"APPLIED\"}");
        assertThat(store.gets()).containsExactly(StorageLayout.readModelStatusKey(UNIT, SubmissionId.parse(id)));
        assertThat(engine.statements()).isEmpty();
    }

    @Test
    void anAppliedSubmissionWhosePackageHasANewerVersionSaysWhichSubmissionSupersededIt() throws Exception {
        readModel.published().applied("AE", S1, S2);

        assertThat(getAs(AE + "/submissions/" + S1, "AE").getResponse().getContentAsString()).isEqualTo("{\"submission_id\":\"" + S1
                + "\",\"business_unit\":\"AE\",\"status\":\"APPLIED\",\"superseded_by\":\"" + S2 + "\"}");
    }

    @Test
    void aDeadLetteredSubmissionSaysSoWithTheReasonTheBatchRecorded() throws Exception {
        readModel.published();
        store.put(StorageLayout.deadLetterKey(SubmissionId.parse(S1)),
                ("{\"submission_id\":\"" + S1 + "\",\"reason\":\"message body is not valid JSON\"}").getBytes(StandardCharsets.UTF_8));

        MvcResult dead = getAs(AE + "/submissions/" + S1, "AE");

        assertThat(dead.getResponse().getContentAsString()).isEqualTo("{\"submission_id\":\"" + S1
                + "\",\"business_unit\":\"AE\",\"status\":\"DEAD_LETTERED\",\"reason\":\"message body is not valid JSON\"}");
        readModel.applied("AE", S1, null);
        assertThat(json(getAs(AE + "/submissions/" + S1, "AE")).get("status").asString()).as("applied wins, after a redrive")
                .isEqualTo("APPLIED");
    }

    @Test
    void anotherUnitsStatusDoesNotMakeASubmissionApplied() throws Exception {
        readModel.published().applied("CMF", S1, null);
        assertThat(json(getAs(AE + "/submissions/" + S1, "AE")).get("status").asString()).isEqualTo("QUEUED");
    }

    @Test
    void idsThisApiCannotHaveIssuedAre404() throws Exception {
        assertProblem(getAs(AE + "/submissions/not-a-uuid", "AE"), 404, "submission-not-found", "Submission does not exist",
                "no submission \"not-a-uuid\": the API issues canonical lower-case UUIDv7 ids", AE + "/submissions/not-a-uuid");
        String v4 = "3f0c6a2e-9b1d-4c1e-8f00-123456789abc";
        assertProblem(getAs(AE + "/submissions/" + v4, "AE"), 404, "submission-not-found", "Submission does not exist",
                "no submission \"" + v4 + "\": the API issues canonical lower-case UUIDv7 ids", AE + "/submissions/" + v4);
        SubmissionId future = SubmissionId.generate(TestPorts.START.plus(Duration.ofHours(1)), new Random(3));
        assertProblem(getAs(AE + "/submissions/" + future, "AE"), 404, "submission-not-found", "Submission does not exist",
                "no submission " + future + ": its timestamp 2026-11-23T04:25:00.123Z is in the future", AE + "/submissions/" + future);
        assertThat(store.gets()).isEmpty();
    }
}
