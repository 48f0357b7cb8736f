package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MvcResult;

class OperationsTest extends ApiTestSupport {
    @Autowired
    MeterRegistry meters;

    private double count(String name, String... tags) {
        var search = meters.find(name);
        if (tags.length > 0) {
            search = search.tags(tags);
        }
        var counter = search.counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void acceptedSubmissionsIdsAndRejectsAreCounted() throws Exception {
        double accepted = count("soi.api.submissions.accepted");
        double ids = count("soi.api.reference_ids.accepted");
        double invalid = count("soi.api.rejects", "reason", "invalid_body");
        double unauthenticated = count("soi.api.rejects", "reason", "unauthenticated");

        mvc.perform(post(AE).header("Authorization", token("alice", "AE")).contentType("application/json")
                .content("{\"packages\":[{\"package_name\":\"a\",\"reference_ids\":[1,2,2,3]},{\"package_name\":\"b\",\"reference_ids\":[9]}]}"));
        mvc.perform(post(AE).header("Authorization", token("alice", "AE")).contentType("application/json").content("{}"));
        mvc.perform(post(AE).contentType("application/json").content("{}"));

        assertThat(count("soi.api.submissions.accepted") - accepted).isEqualTo(1);
        assertThat(count("soi.api.reference_ids.accepted") - ids).isEqualTo(4);
        assertThat(count("soi.api.rejects", "reason", "invalid_body") - invalid).isEqualTo(1);
        assertThat(count("soi.api.rejects", "reason", "unauthenticated") - unauthenticated).isEqualTo(1);
    }

    @Test
    void eachRequestIsLoggedOnceWithItsSubmissionIdInTheMdc() throws Exception {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.soi.api.requests");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = new ch.qos.logback.core.read.ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            MvcResult result = mvc.perform(post(AE).header("Authorization", token("alice", "AE")).contentType("application/json")
                    .content("{\"packages\":[{\"package_name\":\"a\",\"reference_ids\":[1]}]}")).andReturn();
            mvc.perform(post(AE).contentType("application/json").content("{}"));

            String id = json(result).get("submission_id").asString();
            assertThat(appender.list).hasSize(2);
            var accepted = appender.list.get(0).getMDCPropertyMap();
            assertThat(accepted).containsEntry("submission_id", id).containsEntry("business_unit", "AE").containsEntry("http_status", "202")
                    .containsEntry("http_method", "POST").containsEntry("http_path", AE).containsEntry("principal", "alice");
            assertThat(appender.list.get(0).getFormattedMessage()).startsWith("POST " + AE + " 202 ").endsWith(" unit=AE submission=" + id);
            var rejected = appender.list.get(1).getMDCPropertyMap();
            assertThat(rejected).containsEntry("http_status", "401").containsEntry("reject_reason", "unauthenticated")
                    .doesNotContainKey("submission_id");
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void theSecurityChainRecordsNoObservationOfItsOwnPerRequest() throws Exception {
        MvcResult result = mvc.perform(get(AE + "/packages/p1").header("Authorization", token("alice", "AE"))).andReturn();
        mvc.perform(get(AE + "/packages/p1")).andReturn();

        assertThat(result.getResponse().getStatus()).as("the GET passed the security chain").isNotIn(401, 403);
        assertThat(meters.getMeters()).as("no meter of the security chain's own observations")
                .noneMatch(m -> m.getId().getName().startsWith("spring.security."));
    }

    @Test
    void anUnsupportedMethodIsAProblemToo() throws Exception {
        MvcResult result = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put(AE)
                .header("Authorization", token("alice", "AE"))).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(405);
        assertThat(result.getResponse().getContentType()).isEqualTo("application/problem+json");
        assertThat(json(result).get("status").asInt()).isEqualTo(405);
    }

    @Test
    void readinessFollowsTheQueue() throws Exception {
        MvcResult up = mvc.perform(get("/actuator/health/readiness")).andReturn();
        queue.failing(true);
        MvcResult down = mvc.perform(get("/actuator/health/readiness")).andReturn();
        MvcResult alive = mvc.perform(get("/actuator/health/liveness")).andReturn();

        assertThat(up.getResponse().getStatus()).isEqualTo(200);
        assertThat(json(up).get("status").asString()).isEqualTo("UP");
        assertThat(down.getResponse().getStatus()).isEqualTo(503);
        assertThat(json(down).get("status").asString()).isEqualTo("DOWN");
        assertThat(alive.getResponse().getStatus()).isEqualTo(200);
    }
}
