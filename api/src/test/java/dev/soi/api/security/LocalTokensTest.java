package dev.soi.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.api.ApiProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidationException;

class LocalTokensTest {
    private static final String SECRET = "local-secret-of-at-least-thirty-two-bytes";

    @Test
    void aMintedTokenIsAcceptedAndNamesTheCallerAndUnits() {
        ApiProperties.Auth auth = ApiProperties.Auth.hs256(SECRET);
        String token = LocalTokens.mint(SECRET, "alice", List.of("AE", "CMF"), Duration.ofMinutes(10));

        Jwt jwt = ApiSecurityConfiguration.jwtDecoder(auth).decode(token);

        assertThat(new JwtCallers(auth).caller(jwt)).isEqualTo(new Caller("alice", Set.of("AE", "CMF")));
        assertThat(jwt.getClaimAsString("iss")).isEqualTo(LocalTokens.ISSUER);
    }

    @Test
    void cognitoStyleClaimsRoundTripWithTheirPrefix() {
        ApiProperties.Auth auth = new ApiProperties.Auth("hs256", SECRET, null, null, "my-client", "cognito:groups", "bu:", "username");
        String token = new LocalTokens(auth, Clock.systemUTC()).mint("bob", List.of("FX"), Duration.ofMinutes(10));

        Jwt jwt = ApiSecurityConfiguration.jwtDecoder(auth).decode(token);

        assertThat(jwt.getClaimAsStringList("cognito:groups")).containsExactly("bu:FX");
        assertThat(new JwtCallers(auth).caller(jwt)).isEqualTo(new Caller("bob", Set.of("FX")));
    }

    @Test
    void groupsWithoutThePrefixGrantNothing() {
        ApiProperties.Auth auth = new ApiProperties.Auth("hs256", SECRET, null, null, null, "cognito:groups", "bu:", "sub");
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "HS256").subject("carol")
                .claim("cognito:groups", List.of("admins", "AE", "bu:CMF", "bu:")).build();

        assertThat(new JwtCallers(auth).caller(jwt)).isEqualTo(new Caller("carol", Set.of("CMF")));
    }

    @Test
    void aSpaceSeparatedUnitsStringIsAccepted() {
        ApiProperties.Auth auth = ApiProperties.Auth.hs256(SECRET);
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "HS256").subject("dan").claim("business_units", "AE CMF").build();

        assertThat(new JwtCallers(auth).caller(jwt).businessUnits()).containsExactlyInAnyOrder("AE", "CMF");
    }

    @Test
    void theAudienceIsEnforcedWhenConfigured() {
        ApiProperties.Auth minting = ApiProperties.Auth.hs256(SECRET);
        ApiProperties.Auth checking = new ApiProperties.Auth("hs256", SECRET, null, null, "soi-api", "business_units", "", "sub");
        String token = new LocalTokens(minting, Clock.systemUTC()).mint("eve", List.of("AE"), Duration.ofMinutes(10));
        JwtDecoder decoder = ApiSecurityConfiguration.jwtDecoder(checking);

        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("the token is not meant for audience soi-api");
    }

    @Test
    void anExpiredTokenIsRefused() {
        ApiProperties.Auth auth = ApiProperties.Auth.hs256(SECRET);
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(1)), java.time.ZoneOffset.UTC);
        String token = new LocalTokens(auth, past).mint("alice", List.of("AE"), Duration.ofMinutes(10));

        assertThatThrownBy(() -> ApiSecurityConfiguration.jwtDecoder(auth).decode(token)).isInstanceOf(JwtValidationException.class);
    }
}
