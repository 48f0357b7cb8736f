package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.soi.api.fakes.RecordingObjectStore;
import dev.soi.api.fakes.RecordingSubmissionQueue;
import dev.soi.core.message.SubmissionMessages;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * The AWS decoder path (mode jwks) with the shipped {@code application-aws.properties}: Cognito-shaped ID and
 * access tokens, RS256-signed by a key that a local JWKS endpoint serves, as a user pool serves
 * {@code /.well-known/jwks.json}. The claim sets follow Cognito's documented token shapes: the ID token names the
 * user in {@code cognito:username} and carries {@code aud}; the access token names it in {@code username} and
 * carries {@code client_id} and no {@code aud}.
 */
@SpringBootTest(properties = "soi.business-units=AE,CMF")
@TestPropertySource(locations = "classpath:application-aws.properties")
@AutoConfigureMockMvc
@Import({TestPorts.class, TestTime.class})
class CognitoTokensTest {
    private static final String ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Test1234";
    private static final String CLIENT_ID = "4example5client6id7";
    private static final String SUB = "a1b2c3d4-0000-4000-8000-123456789abc";
    private static final String BODY = "{\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[1]}]}";
    private static final RSAKey KEY;
    private static final HttpServer JWKS;

    static {
        try {
            KEY = new RSAKeyGenerator(2048).keyID("cognito-test-key").algorithm(JWSAlgorithm.RS256).generate();
            JWKS = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            JWKS.createContext("/.well-known/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            JWKS.start();
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void cognito(DynamicPropertyRegistry registry) {
        registry.add("soi.api.auth.issuer-uri", () -> ISSUER);
        registry.add("soi.api.auth.jwk-set-uri", () -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/.well-known/jwks.json");
        registry.add("soi.api.auth.audience", () -> CLIENT_ID);
    }

    @AfterAll
    static void stopJwks() {
        JWKS.stop(0);
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    RecordingSubmissionQueue queue;
    @Autowired
    RecordingObjectStore store;

    @BeforeEach
    void reset() {
        queue.reset();
        store.clear();
    }

    @Test
    void cognitoIdTokenIsAcceptedAndNamesTheUserFromCognitoUsername() throws Exception {
        MvcResult result = submit(idToken("tester-1"));

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        assertThat(submittedBy()).isEqualTo("tester-1");
    }

    @Test
    void cognitoAccessTokenIsAcceptedAndNamesTheSameUser() throws Exception {
        MvcResult result = submit(accessToken("tester-1"));

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        assertThat(submittedBy()).isEqualTo("tester-1");
    }

    @Test
    void aTokenWithOnlySubIsNamedBySub() throws Exception {
        MvcResult result = submit(sign(base().audience(CLIENT_ID).claim("token_use", "id").build()));

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        assertThat(submittedBy()).isEqualTo(SUB);
    }

    @Test
    void anIdTokenOfAnotherAppClientIs401() throws Exception {
        String other = sign(base().audience("another-client").claim("token_use", "id").claim("cognito:username", "tester-1").build());

        assertThat(submit(other).getResponse().getStatus()).isEqualTo(401);
        assertThat(queue.sent()).isEmpty();
    }

    @Test
    void aTokenSignedByAKeyTheJwksDoesNotServeIs401() throws Exception {
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("cognito-test-key").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(),
                base().audience(CLIENT_ID).claim("cognito:username", "tester-1").build());
        jwt.sign(new RSASSASigner(stranger));

        assertThat(submit(jwt.serialize()).getResponse().getStatus()).isEqualTo(401);
        assertThat(queue.sent()).isEmpty();
    }

    private MvcResult submit(String token) throws Exception {
        return mvc.perform(post("/api/v1/security-of-interest/AE").contentType(MediaType.APPLICATION_JSON).content(BODY)
                .header("Authorization", "Bearer " + token)).andReturn();
    }

    private String submittedBy() {
        assertThat(queue.sent()).hasSize(1);
        return new SubmissionMessages(store).decode(queue.sent().get(0).body()).submittedBy();
    }

    private static JWTClaimsSet.Builder base() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(SUB)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .claim("auth_time", now.getEpochSecond())
                .claim("cognito:groups", List.of("bu:AE", "admins"));
    }

    /** Shaped like a Cognito ID token: {@code aud} is the app client, the user is {@code cognito:username}. */
    private static String idToken(String username) throws Exception {
        return sign(base().audience(CLIENT_ID).claim("token_use", "id").claim("cognito:username", username)
                .claim("email", "tester@example.com").claim("email_verified", true).build());
    }

    /** Shaped like a Cognito access token: no {@code aud}, {@code client_id} instead, the user is {@code username}. */
    private static String accessToken(String username) throws Exception {
        return sign(base().claim("token_use", "access").claim("client_id", CLIENT_ID).claim("username", username)
                .claim("scope", "aws.cognito.signin.user.admin").build());
    }

    private static String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(KEY.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(KEY));
        return jwt.serialize();
    }
}
