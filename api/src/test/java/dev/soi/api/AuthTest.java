package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import dev.soi.api.security.LocalTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Precedence: 401 (no valid token), then 404 (unit not in the registry), then 403 (unit not the caller's). */
class AuthTest extends ApiTestSupport {
    private static final String BODY = "{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[1]}]}";

    private MvcResult send(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn();
    }

    private static MockHttpServletRequestBuilder postTo(String unit) {
        return post("/api/v1/security-of-interest/" + unit).contentType(MediaType.APPLICATION_JSON).content(BODY);
    }

    @Test
    void noTokenIs401WithABearerChallenge() throws Exception {
        MvcResult result = send(postTo("AE"));

        assertProblem(result, 401, "unauthenticated", "A valid bearer token is required", "send Authorization: Bearer <token>", AE);
        assertThat(result.getResponse().getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void noTokenIs401EvenForAnUnknownUnit() throws Exception {
        assertProblem(send(postTo("NOPE")), 401, "unauthenticated", "A valid bearer token is required",
                "send Authorization: Bearer <token>", "/api/v1/security-of-interest/NOPE");
    }

    @Test
    void aTokenSignedWithAnotherSecretIs401() throws Exception {
        String forged = LocalTokens.mint("another-secret-of-at-least-thirty-two-bytes", "mallory", List.of("AE"), Duration.ofHours(1));

        MvcResult result = send(postTo("AE").header("Authorization", "Bearer " + forged));

        assertProblem(result, 401, "unauthenticated", "A valid bearer token is required", null, AE);
        assertThat(json(result).get("detail").asString()).startsWith("the bearer token was not accepted: ");
        assertThat(result.getResponse().getHeader("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void anExpiredTokenIs401() throws Exception {
        Clock lastWeek = Clock.fixed(Instant.now().minus(Duration.ofDays(7)), ZoneOffset.UTC);
        String expired = new LocalTokens(dev.soi.api.ApiProperties.Auth.hs256(SECRET), lastWeek).mint("alice", List.of("AE"), Duration.ofHours(1));

        MvcResult result = send(postTo("AE").header("Authorization", "Bearer " + expired));

        assertProblem(result, 401, "unauthenticated", "A valid bearer token is required", null, AE);
        assertThat(json(result).get("detail").asString()).contains("expired");
    }

    @Test
    void garbageInsteadOfATokenIs401() throws Exception {
        assertProblem(send(postTo("AE").header("Authorization", "Bearer not.a.jwt")), 401, "unauthenticated",
                "A valid bearer token is required", null, AE);
    }

    @Test
    void anotherUnitsCallerIs403AndNothingIsQueued() throws Exception {
        MvcResult result = send(postTo("CMF").header("Authorization", token("alice", "AE")));

        assertProblem(result, 403, "forbidden-business-unit", "Business unit is not one of the caller's",
                "caller \"alice\" may not use business unit CMF", "/api/v1/security-of-interest/CMF");
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void anUnknownUnitIs404EvenWhenTheTokenClaimsIt() throws Exception {
        MvcResult result = send(postTo("ZZ").header("Authorization", token("alice", "AE", "ZZ")));

        assertProblem(result, 404, "unknown-business-unit", "Business unit does not exist",
                "business unit \"ZZ\" is not in the registry", "/api/v1/security-of-interest/ZZ");
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void anUnknownUnitIs404BeforeOwnershipIsChecked() throws Exception {
        assertProblem(send(postTo("ZZ").header("Authorization", token("alice", "AE"))), 404, "unknown-business-unit",
                "Business unit does not exist", "business unit \"ZZ\" is not in the registry", "/api/v1/security-of-interest/ZZ");
    }

    @Test
    void aMalformedUnitIs404NotAnError() throws Exception {
        assertProblem(send(postTo("ae").header("Authorization", token("alice", "AE"))), 404, "unknown-business-unit",
                "Business unit does not exist", "business unit \"ae\" is not in the registry", "/api/v1/security-of-interest/ae");
    }

    @Test
    void readsAreGuardedTheSameWay() throws Exception {
        assertThat(send(get(AE + "/packages/job_1")).getResponse().getStatus()).isEqualTo(401);
        assertThat(send(get(AE + "/packages/job_1").header("Authorization", token("bob", "CMF"))).getResponse().getStatus()).isEqualTo(403);
        assertThat(send(get("/api/v1/security-of-interest/ZZ/packages").header("Authorization", token("bob", "CMF"))).getResponse().getStatus())
                .isEqualTo(404);
        assertThat(send(get(AE + "/submissions/x").header("Authorization", token("bob", "CMF"))).getResponse().getStatus()).isEqualTo(403);
        assertThat(engine.statements()).isEmpty();
    }

    @Test
    void healthAndTheOpenApiDocumentNeedNoToken() throws Exception {
        assertThat(send(get("/actuator/health/liveness")).getResponse().getStatus()).isEqualTo(200);
        assertThat(send(get("/v3/api-docs")).getResponse().getStatus()).isEqualTo(200);
    }
}
