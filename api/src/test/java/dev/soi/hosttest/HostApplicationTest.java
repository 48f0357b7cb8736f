package dev.soi.hosttest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.soi.api.ApiConfiguration;
import dev.soi.api.TestPorts;
import dev.soi.api.fakes.RecordingSubmissionQueue;
import dev.soi.api.security.LocalTokens;
import dev.soi.core.domain.SubmissionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the local launcher hosts the API: its own Boot application in another package imports
 * {@link ApiConfiguration}, brings its own ports and clock, and keeps its own endpoints outside the API's
 * security rules.
 */
@SpringBootTest(classes = HostApplicationTest.Host.class, properties = {
        "soi.api.auth.secret=host-secret-of-at-least-thirty-two-bytes", "soi.api.idempotency.store=memory"})
@AutoConfigureMockMvc
class HostApplicationTest {
    static final Instant HOST_TIME = Instant.parse("2030-01-02T03:04:05.678Z");

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({ApiConfiguration.class, TestPorts.class})
    static class Host {
        @Bean
        Clock hostClock() {
            return Clock.fixed(HOST_TIME, ZoneOffset.UTC);
        }

        @Bean
        HostEndpoint hostEndpoint() {
            return new HostEndpoint();
        }
    }

    @RestController
    static class HostEndpoint {
        @GetMapping("/local/ping")
        String ping() {
            return "pong";
        }
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    RecordingSubmissionQueue queue;

    @Test
    void theImportedApiAcceptsSubmissionsWithTheHostsClock() throws Exception {
        String token = LocalTokens.mint("host-secret-of-at-least-thirty-two-bytes", "alice", List.of("AE"), Duration.ofMinutes(5));

        MvcResult result = mvc.perform(post("/api/v1/security-of-interest/AE").header("Authorization", "Bearer " + token)
                .contentType("application/json").content("{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[123]}]}")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        String id = JsonMapper.builder().build().readTree(result.getResponse().getContentAsByteArray()).get("submission_id").asString();
        assertThat(SubmissionId.parse(id).timestamp()).isEqualTo(HOST_TIME);
        assertThat(queue.sent()).hasSize(1);
    }

    @Test
    void theHostsOwnEndpointsAreNotUnderTheApisSecurity() throws Exception {
        MvcResult result = mvc.perform(get("/local/ping")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(result.getResponse().getContentAsString()).isEqualTo("pong");
    }
}
