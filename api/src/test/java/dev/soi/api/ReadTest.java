package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import dev.soi.api.fakes.SeededQueryEngine.LatestRow;
import dev.soi.api.fakes.SeededQueryEngine.PitRow;
import dev.soi.core.domain.SubmissionId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

class ReadTest extends ApiTestSupport {
    private static final Instant T1 = Instant.parse("2026-11-22T10:00:00.250Z");
    private static final String S1 = SubmissionId.generate(T1, new Random(1)).toString();

    private MvcResult getAs(String path, String... units) throws Exception {
        return mvc.perform(get(path).header("Authorization", token("alice", units))).andReturn();
    }

    @Test
    void aPackageReturnsItsLatestIdsAndVersion() throws Exception {
        engine.addLatest(new LatestRow("AE", "job_1", 456, T1, S1));
        engine.addLatest(new LatestRow("AE", "job_1", 123, T1, S1));
        engine.addLatest(new LatestRow("CMF", "job_1", 999, T1, S1));

        MvcResult result = getAs(AE + "/packages/job_1", "AE");

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(result.getResponse().getContentAsString()).isEqualTo("{\"business_unit\":\"AE\",\"package_name\":\"job_1\","
                + "\"reference_ids\":[123,456],\"event_timestamp\":\"2026-11-22T10:00:00.250Z\",\"submission_id\":\"" + S1 + "\"}");
        assertThat(engine.statements()).extracting(s -> s.template()).containsExactly("queries/latest_package");
        assertThat(engine.statements().get(0).parameters()).containsExactly("AE", "job_1");
    }

    @Test
    void aPackageNotInTheLatestTableIs404() throws Exception {
        assertProblem(getAs(AE + "/packages/job_9", "AE"), 404, "package-not-found", "Package is not in the latest table",
                "package job_9 of AE is not in the latest table (never applied, or deleted)", AE + "/packages/job_9");
    }

    @Test
    void aBadPackageNameInThePathIs400() throws Exception {
        String detail = "package name may hold only A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit: \"_x\"";
        JsonNode problem = assertProblem(getAs(AE + "/packages/_x", "AE"), 400, "invalid-parameter", "Request parameter is invalid",
                detail, AE + "/packages/_x");
        assertThat(errors(problem)).containsExactly(Map.of("parameter", "packageName", "detail", detail));
        assertThat(engine.statements()).isEmpty();
    }

    @Test
    void theQueryEngineFailingIs503() throws Exception {
        engine.failing(true);
        assertProblem(getAs(AE + "/packages/job_1", "AE"), 503, "query-failed", "Query engine is unavailable",
                "the query engine could not answer; retry later", AE + "/packages/job_1");
    }

    @Test
    void packagesArePagedByName() throws Exception {
        engine.addLatest(new LatestRow("AE", "c", 1, T1, S1));
        engine.addLatest(new LatestRow("AE", "a", 1, T1, S1));
        engine.addLatest(new LatestRow("AE", "a", 2, T1, S1));
        engine.addLatest(new LatestRow("AE", "b", 7, T1, S1));
        engine.addLatest(new LatestRow("CMF", "z", 7, T1, S1));

        MvcResult first = getAs(AE + "/packages?page=0&size=2", "AE");
        MvcResult second = getAs(AE + "/packages?page=1&size=2", "AE");

        String version = ",\"event_timestamp\":\"2026-11-22T10:00:00.250Z\",\"submission_id\":\"" + S1 + "\"}";
        assertThat(first.getResponse().getContentAsString()).isEqualTo("{\"business_unit\":\"AE\",\"page\":0,\"size\":2,\"packages\":["
                + "{\"package_name\":\"a\",\"reference_ids_count\":2" + version + ",{\"package_name\":\"b\",\"reference_ids_count\":1" + version
                + "],\"has_next\":true}");
        assertThat(second.getResponse().getContentAsString()).isEqualTo("{\"business_unit\":\"AE\",\"page\":1,\"size\":2,\"packages\":["
                + "{\"package_name\":\"c\",\"reference_ids_count\":1" + version + "],\"has_next\":false}");
        assertThat(engine.statements().get(0).template()).isEqualTo("queries/latest_unit_page");
        assertThat(engine.statements().get(0).parameters()).containsExactly("AE", 0L, 3L);
        assertThat(engine.statements().get(0).sql()).contains("df_trusted_test.security_of_interest_latest");
    }

    @Test
    void pagingDefaultsTo100AndRejectsBadSizes() throws Exception {
        assertThat(json(getAs(AE + "/packages", "AE")).get("size").asInt()).isEqualTo(100);
        assertProblem(getAs(AE + "/packages?size=1001", "AE"), 400, "invalid-parameter", "Request parameter is invalid",
                "size must be an integer between 1 and 1000: \"1001\"", AE + "/packages");
        assertProblem(getAs(AE + "/packages?page=-1", "AE"), 400, "invalid-parameter", "Request parameter is invalid",
                "page must be an integer between 0 and 10000000: \"-1\"", AE + "/packages");
        assertProblem(getAs(AE + "/packages?size=abc", "AE"), 400, "invalid-parameter", "Request parameter is invalid",
                "size must be an integer between 1 and 1000: \"abc\"", AE + "/packages");
    }

    @Test
    void aSubmissionIsQueuedUntilItsRowsReachThePitTable() throws Exception {
        String id = json(mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(AE)
                .header("Authorization", token("alice", "AE")).contentType("application/json")
                .content("{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[1]}]}")).andReturn()).get("submission_id").asString();

        MvcResult queued = getAs(AE + "/submissions/" + id, "AE");
        engine.addPit(new PitRow("AE", "2026-11-23", id));
        MvcResult applied = getAs(AE + "/submissions/" + id, "AE");

        assertThat(queued.getResponse().getContentAsString())
                .isEqualTo("{\"submission_id\":\"" + id + "\",\"business_unit\":\"AE\",\"status\":\"QUEUED\"}");
        assertThat(applied.getResponse().getContentAsString())
                .isEqualTo("{\"submission_id\":\"" + id + "\",\"business_unit\":\"AE\",\"status\":\"APPLIED\"}");
        assertThat(engine.statements()).extracting(s -> s.template()).containsExactly("queries/submission_applied", "queries/submission_applied");
        assertThat(engine.statements().get(0).parameters()).containsExactly("AE", "2026-11-23", id);
    }

    @Test
    void aDeadLetteredSubmissionSaysSoWithTheReasonTheBatchRecorded() throws Exception {
        store.put(dev.soi.core.domain.StorageLayout.deadLetterKey(dev.soi.core.domain.SubmissionId.parse(S1)),
                ("{\"submission_id\":\"" + S1 + "\",\"reason\":\"message body is not valid JSON\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));

        MvcResult dead = getAs(AE + "/submissions/" + S1, "AE");

        assertThat(dead.getResponse().getContentAsString()).isEqualTo("{\"submission_id\":\"" + S1
                + "\",\"business_unit\":\"AE\",\"status\":\"DEAD_LETTERED\",\"reason\":\"message body is not valid JSON\"}");
        engine.addPit(new PitRow("AE", dev.soi.core.domain.SubmissionId.parse(S1).timestamp().atOffset(java.time.ZoneOffset.UTC)
                .toLocalDate().toString(), S1));
        assertThat(json(getAs(AE + "/submissions/" + S1, "AE")).get("status").asString()).as("applied wins, after a redrive")
                .isEqualTo("APPLIED");
    }

    @Test
    void anotherUnitsRowsDoNotMakeASubmissionApplied() throws Exception {
        engine.addPit(new PitRow("CMF", "2026-11-22", S1));
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
        assertThat(engine.statements()).isEmpty();
    }
}
