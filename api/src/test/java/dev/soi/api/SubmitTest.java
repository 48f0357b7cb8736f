package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.QueueMessage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import tools.jackson.databind.JsonNode;

class SubmitTest extends ApiTestSupport {

    private MvcResult submit(String path, String token, String body) throws Exception {
        return mvc.perform(post(path).header("Authorization", token).contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
    }

    private Submission decode(QueueMessage message) {
        return new SubmissionMessages(store).decode(message.body());
    }

    @Test
    void postIsAcceptedWithTheSubmissionIdTimeCountsAndStatusUrl() throws Exception {
        MvcResult result = submit(AE, token("alice", "AE"),
                "{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[456,123,123]},{\"package_name\":\"job_2\",\"reference_ids\":[]}]}");

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        assertThat(result.getResponse().getContentType()).isEqualTo("application/json");
        JsonNode body = json(result);
        SubmissionId id = SubmissionId.parse(body.get("submission_id").asString());
        String statusUrl = "/api/v1/security-of-interest/AE/submissions/" + id;
        assertThat(body.propertyNames()).containsExactly("submission_id", "accepted_at", "business_unit", "packages", "status_url");
        assertThat(id.timestamp()).isEqualTo(TestPorts.START);
        assertThat(body.get("accepted_at").asString()).isEqualTo("2026-11-23T03:25:00.123Z");
        assertThat(body.get("business_unit").asString()).isEqualTo("AE");
        assertThat(body.get("status_url").asString()).isEqualTo(statusUrl);
        assertThat(result.getResponse().getHeader("Location")).isEqualTo(statusUrl);
        assertThat(body.get("packages").toString()).isEqualTo(
                "[{\"package_name\":\"job_1\",\"reference_ids_count\":2,\"deleted\":false},"
                        + "{\"package_name\":\"job_2\",\"reference_ids_count\":0,\"deleted\":true}]");

        assertThat(queue.sent()).hasSize(1);
        QueueMessage message = queue.sent().get(0);
        assertThat(message.attributes()).isEqualTo(Map.of(SubmissionMessages.ATTR_BUSINESS_UNIT, "AE",
                SubmissionMessages.ATTR_SCHEMA_VERSION, "1", SubmissionMessages.ATTR_SUBMISSION_ID, id.toString()));
        Submission submission = decode(message);
        assertThat(submission.id()).isEqualTo(id);
        assertThat(submission.acceptedAt()).isEqualTo(TestPorts.START);
        assertThat(submission.submittedBy()).isEqualTo("alice");
        assertThat(submission.businessUnit()).isEqualTo(BusinessUnit.of("AE"));
        assertThat(submission.changes()).containsExactly(PackageChange.set("job_1", 123, 456), PackageChange.delete("job_2"));
    }

    @Test
    void deleteQueuesATombstoneForThePackage() throws Exception {
        MvcResult result = mvc.perform(delete(AE + "/packages/job.v1-x_2").header("Authorization", token("alice", "AE"))).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        JsonNode body = json(result);
        assertThat(body.get("packages").toString()).isEqualTo("[{\"package_name\":\"job.v1-x_2\",\"reference_ids_count\":0,\"deleted\":true}]");
        assertThat(queue.sent()).hasSize(1);
        Submission submission = decode(queue.sent().get(0));
        assertThat(submission.changes()).containsExactly(PackageChange.delete("job.v1-x_2"));
        assertThat(submission.id().toString()).isEqualTo(body.get("submission_id").asString());
    }

    @Test
    void aPostForOneUnitNeverProducesAMessageForAnother() throws Exception {
        String token = token("alice", "AE", "CMF");
        assertThat(submit(AE, token, "{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[1]}]}").getResponse().getStatus()).isEqualTo(202);
        // A body may not name a unit: the unit comes from the path only.
        MvcResult smuggled = submit(AE, token, "{\"business_unit\":\"CMF\",\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[1]}]}");
        assertThat(smuggled.getResponse().getStatus()).isEqualTo(400);
        MvcResult smuggledInPackage = submit(AE, token, "{\"packages\":[{\"business_unit\":\"CMF\",\"package_name\":\"job_1\",\"reference_ids\":[1]}]}");
        assertThat(smuggledInPackage.getResponse().getStatus()).isEqualTo(400);

        assertThat(queue.sent()).hasSize(1);
        assertThat(queue.sent().get(0).attributes().get(SubmissionMessages.ATTR_BUSINESS_UNIT)).isEqualTo("AE");
        assertThat(decode(queue.sent().get(0)).businessUnit()).isEqualTo(BusinessUnit.of("AE"));
    }

    @Test
    void aBodyOverTheQueueLimitGoesToTheObjectStoreAsAClaimCheck() throws Exception {
        queue.maxMessageBytes(2048);
        StringBuilder ids = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            ids.append(i == 1 ? "" : ",").append(1_000_000_000_000L + i);
        }
        StringBuilder packages = new StringBuilder();
        for (int p = 0; p < 5; p++) {
            packages.append(p == 0 ? "" : ",").append("{\"package_name\":\"job_").append(p).append("\",\"reference_ids\":[").append(ids).append("]}");
        }
        MvcResult result = submit(AE, token("alice", "AE"), "{\"packages\":[" + packages + "]}");

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        String id = json(result).get("submission_id").asString();
        assertThat(queue.sent()).hasSize(1);
        assertThat(JSON.readTree(queue.sent().get(0).body()).get("payload_key").asString()).isEqualTo("_payloads/" + id + ".json");
        assertThat(store.objects()).containsOnlyKeys("_payloads/" + id + ".json");
        assertThat(decode(queue.sent().get(0)).rowCount()).isEqualTo(100);
    }

    @Test
    void theQueueFailingIs503WithRetryAfterAndNothingAccepted() throws Exception {
        queue.failing(true);

        MvcResult result = submit(AE, token("alice", "AE"), "{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[1]}]}");

        assertProblem(result, 503, "queue-unavailable", "Submissions cannot be accepted right now",
                "the submission queue refused the message; nothing was accepted, retry later", AE);
        assertThat(result.getResponse().getHeader("Retry-After")).isEqualTo("5");
        assertThat(queue.sent()).isEmpty();
        assertThat(store.objects()).isEmpty();
    }

    @Test
    void aClaimCheckPayloadIsRemovedWhenTheEnqueueFails() throws Exception {
        // 1100 bytes leave 76 for the body after the attribute allowance: every submission becomes a claim check.
        queue.maxMessageBytes(1100);
        queue.failing(true);

        MvcResult result = submit(AE, token("alice", "AE"), "{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[1,2,3]}]}");

        assertThat(result.getResponse().getStatus()).isEqualTo(503);
        assertThat(store.objects()).isEmpty();
        assertThat(queue.sent()).isEmpty();
    }
}
