package dev.soi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

class ApiPropertiesTest {

    private static ApiProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("soi.api", ApiProperties.class);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        ApiProperties p = bind(Map.of("soi.api.auth.secret", "x".repeat(32)));

        assertThat(p.limits()).isEqualTo(new ApiProperties.Limits(1000, 10_000, DataSize.ofMegabytes(5), 8, 100, 1000));
        assertThat(p.limits().maxBodyBytes()).isEqualTo(5 * 1024 * 1024);
        assertThat(p.idempotency()).isEqualTo(new ApiProperties.Idempotency(Duration.ofHours(24), "object-store", Duration.ofSeconds(10), Duration.ofSeconds(60)));
        assertThat(p.auth().mode()).isEqualTo("hs256");
        assertThat(p.auth().unitsClaim()).isEqualTo("business_units");
        assertThat(p.auth().unitsPrefix()).isEmpty();
        assertThat(p.auth().principalClaim()).isEqualTo("sub");
        assertThat(p.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void awsStyleSettingsBind() {
        ApiProperties p = bind(Map.of("soi.api.auth.mode", "jwks", "soi.api.auth.issuer-uri", "https://issuer.example/pool",
                "soi.api.auth.units-claim", "cognito:groups", "soi.api.auth.units-prefix", "bu:", "soi.api.auth.principal-claim", "username",
                "soi.api.limits.max-body", "1MB", "soi.api.idempotency.ttl", "48h"));

        assertThat(p.auth().unitsClaim()).isEqualTo("cognito:groups");
        assertThat(p.auth().unitsPrefix()).isEqualTo("bu:");
        assertThat(p.limits().maxBodyBytes()).isEqualTo(1024 * 1024);
        assertThat(p.idempotency().ttl()).isEqualTo(Duration.ofHours(48));
    }

    @Test
    void theAwsProfileReadsCognitoGroupsWithTheBuPrefix() throws Exception {
        java.util.Properties aws = new java.util.Properties();
        try (var in = getClass().getResourceAsStream("/application-aws.properties")) {
            aws.load(in);
        }
        Map<String, String> values = new java.util.HashMap<>();
        aws.forEach((k, v) -> values.put((String) k, (String) v));
        values.put("soi.api.auth.issuer-uri", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_example");

        ApiProperties.Auth auth = bind(values).auth();

        assertThat(auth).isEqualTo(new ApiProperties.Auth("jwks", null, "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_example",
                null, null, "cognito:groups", "bu:", "username,cognito:username,sub"));
    }

    /**
     * Lambda's synchronous payload limit is 6 MB (read as 6,000,000 bytes, the smaller reading), and the HTTP API
     * may base64-encode the body into the event; 256 KiB is kept for the rest of the event (headers, the token
     * twice, path and request context).
     */
    @Test
    void theAwsBodyLimitFitsLambdasPayloadLimitEvenWhenBase64Encoded() throws Exception {
        java.util.Properties aws = new java.util.Properties();
        try (var in = getClass().getResourceAsStream("/application-aws.properties")) {
            aws.load(in);
        }
        Map<String, String> values = new java.util.HashMap<>();
        aws.forEach((k, v) -> values.put((String) k, (String) v));
        values.put("soi.api.auth.issuer-uri", "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_example");

        long maxBody = bind(values).limits().maxBodyBytes();
        long base64 = (maxBody + 2) / 3 * 4;

        assertThat(base64 + 256 * 1024).isLessThanOrEqualTo(6_000_000L);
    }

    @Test
    void aShortSecretStopsStartup() {
        assertThatThrownBy(() -> bind(Map.of("soi.api.auth.secret", "short")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessage("soi.api.auth.secret must be at least 32 bytes in mode hs256");
    }

    @Test
    void badLimitsStopStartupNamingTheKey() {
        assertThatThrownBy(() -> bind(Map.of("soi.api.auth.secret", "x".repeat(32), "soi.api.limits.max-ids-per-package", "0")))
                .rootCause().hasMessage("soi.api.limits.max-ids-per-package must be >= 1: 0");
        assertThatThrownBy(() -> bind(Map.of("soi.api.auth.secret", "x".repeat(32), "soi.api.idempotency.ttl", "1h")))
                .rootCause().hasMessage("soi.api.idempotency.ttl must be at least 24h: PT1H");
        assertThatThrownBy(() -> bind(Map.of("soi.api.auth.mode", "jwks")))
                .rootCause().hasMessage("soi.api.auth.issuer-uri or soi.api.auth.jwk-set-uri is required in mode jwks");
    }

    @Test
    void theSecretNeverAppearsInToString() {
        assertThat(ApiProperties.Auth.hs256("s3cr3t-".repeat(6)).toString()).doesNotContain("s3cr3t");
    }

    @Test
    void theRegistryDefaultsToAeAndCmfAndReadsACommaList() {
        Binder empty = new Binder(new MapConfigurationPropertySource(Map.of()));
        assertThat(empty.bindOrCreate("soi", BusinessUnitRegistry.class).businessUnits()).containsExactly("AE", "CMF");
        Binder env = new Binder(new MapConfigurationPropertySource(Map.of("soi.business-units", "AE, FX ,CMF")));
        assertThat(env.bindOrCreate("soi", BusinessUnitRegistry.class).businessUnits()).containsExactly("AE", "FX", "CMF");
        assertThatThrownBy(() -> BusinessUnitRegistry.of("ae")).hasMessageContaining("\"ae\"");
        assertThat(BusinessUnitRegistry.of("AE").find("AE")).isPresent();
        assertThat(BusinessUnitRegistry.of("AE").find("CMF")).isEmpty();
        assertThat(List.of(BusinessUnitRegistry.of("AE").find("../x"))).containsExactly(java.util.Optional.empty());
    }
}
