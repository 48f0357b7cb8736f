package dev.soi.api;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything the API can be tuned with, under {@code soi.api}. Each nested record is one concern and
 * validates itself, so a bad value stops the application at startup with a message naming it.
 * The business-unit registry is separate ({@link BusinessUnitRegistry}, {@code soi.business-units})
 * because the batch reads it too.
 *
 * @param limits      request limits (400 / 413 when exceeded)
 * @param idempotency how long {@code Idempotency-Key}s are remembered and where
 * @param auth        how bearer tokens are checked and read
 * @param retryAfter  the {@code Retry-After} a 503 advertises when the queue refused a submission
 */
@ConfigurationProperties("soi.api")
public record ApiProperties(@DefaultValue Limits limits,
                            @DefaultValue Idempotency idempotency,
                            @DefaultValue Auth auth,
                            @DefaultValue("5s") Duration retryAfter) {

    public ApiProperties {
        requireNonNull(limits, "soi.api.limits");
        requireNonNull(idempotency, "soi.api.idempotency");
        requireNonNull(auth, "soi.api.auth");
        requireNonNull(retryAfter, "soi.api.retry-after");
        checkArgument(!retryAfter.isNegative() && retryAfter.toSeconds() >= 1,
                "soi.api.retry-after must be at least 1s: %s", retryAfter);
    }

    /** Defaults as documented; what a test or another launcher starts from. */
    public static ApiProperties defaults(Auth auth) {
        return new ApiProperties(Limits.defaults(), Idempotency.defaults(), auth, Duration.ofSeconds(5));
    }

    /**
     * @param maxPackagesPerSubmission packages in one POST body (default 1000)
     * @param maxIdsPerPackage         reference ids in one package, before duplicates collapse (default 10000)
     * @param maxBody                  request body size; larger bodies get 413 (default 5MB = 5 MiB)
     * @param maxNestingDepth          JSON nesting depth; our documents need 4 (default 8)
     * @param defaultPageSize          packages per page of {@code GET …/packages} (default 100)
     * @param maxPageSize              largest {@code size} a client may ask for (default 1000)
     */
    public record Limits(@DefaultValue("1000") int maxPackagesPerSubmission,
                         @DefaultValue("10000") int maxIdsPerPackage,
                         @DefaultValue("5MB") DataSize maxBody,
                         @DefaultValue("8") int maxNestingDepth,
                         @DefaultValue("100") int defaultPageSize,
                         @DefaultValue("1000") int maxPageSize) {
        public Limits {
            checkArgument(maxPackagesPerSubmission >= 1, "soi.api.limits.max-packages-per-submission must be >= 1: %d", maxPackagesPerSubmission);
            checkArgument(maxIdsPerPackage >= 1, "soi.api.limits.max-ids-per-package must be >= 1: %d", maxIdsPerPackage);
            requireNonNull(maxBody, "soi.api.limits.max-body");
            checkArgument(maxBody.toBytes() >= 1024 && maxBody.toBytes() <= Integer.MAX_VALUE - 8,
                    "soi.api.limits.max-body must be between 1KB and 2GB: %s", maxBody);
            checkArgument(maxNestingDepth >= 4 && maxNestingDepth <= 1000,
                    "soi.api.limits.max-nesting-depth must be 4-1000 (a submission nests 4 deep): %d", maxNestingDepth);
            checkArgument(maxPageSize >= 1, "soi.api.limits.max-page-size must be >= 1: %d", maxPageSize);
            checkArgument(defaultPageSize >= 1 && defaultPageSize <= maxPageSize,
                    "soi.api.limits.default-page-size must be 1..max-page-size (%d): %d", maxPageSize, defaultPageSize);
        }

        public static Limits defaults() {
            return new Limits(1000, 10_000, DataSize.ofMegabytes(5), 8, 100, 1000);
        }

        public int maxBodyBytes() {
            return (int) maxBody.toBytes();
        }
    }

    /**
     * @param ttl            how long a key is remembered after its first use (default 24h; at least 24h
     *                       is the promise, so shorter values are refused)
     * @param store          {@code object-store} (default: records under {@code _idempotency/} in the data
     *                       store, S3 in AWS and a directory locally, so keys survive restarts) or
     *                       {@code memory} (one process, lost on restart; tests)
     * @param inProgressWait how long a replay waits for a concurrent first request with the same key
     *                       to finish before answering 409 (default 10s)
     * @param abandonAfter   a first request that never finished (its process died) stops blocking the
     *                       key after this long (default 60s)
     */
    public record Idempotency(@DefaultValue("24h") Duration ttl,
                              @DefaultValue("object-store") String store,
                              @DefaultValue("10s") Duration inProgressWait,
                              @DefaultValue("60s") Duration abandonAfter) {
        public static final String OBJECT_STORE = "object-store";
        public static final String MEMORY = "memory";

        public Idempotency {
            requireNonNull(ttl, "soi.api.idempotency.ttl");
            checkArgument(ttl.compareTo(Duration.ofHours(24)) >= 0, "soi.api.idempotency.ttl must be at least 24h: %s", ttl);
            requireNonNull(store, "soi.api.idempotency.store");
            store = store.toLowerCase(Locale.ROOT);
            checkArgument(store.equals(OBJECT_STORE) || store.equals(MEMORY),
                    "soi.api.idempotency.store must be %s or %s: %s", OBJECT_STORE, MEMORY, store);
            requireNonNull(inProgressWait, "soi.api.idempotency.in-progress-wait");
            checkArgument(!inProgressWait.isNegative(), "soi.api.idempotency.in-progress-wait must be >= 0: %s", inProgressWait);
            requireNonNull(abandonAfter, "soi.api.idempotency.abandon-after");
            checkArgument(abandonAfter.compareTo(inProgressWait) > 0,
                    "soi.api.idempotency.abandon-after (%s) must exceed in-progress-wait (%s)", abandonAfter, inProgressWait);
        }

        public static Idempotency defaults() {
            return new Idempotency(Duration.ofHours(24), OBJECT_STORE, Duration.ofSeconds(10), Duration.ofSeconds(60));
        }
    }

    /**
     * @param mode           {@code hs256} (local: tokens signed with {@code secret}, minted by {@code ./soi token})
     *                       or {@code jwks} (AWS: tokens from an issuer such as a Cognito user pool)
     * @param secret         HS256 key, at least 32 bytes (mode hs256 only)
     * @param issuerUri      expected {@code iss}; with mode jwks and no {@code jwk-set-uri} the keys are
     *                       discovered from it
     * @param jwkSetUri      where the issuer's public keys are (mode jwks)
     * @param audience       if set, the token's {@code aud} or {@code client_id} (Cognito access tokens) must hold it
     * @param unitsClaim     claim listing the caller's business units (default {@code business_units};
     *                       {@code cognito:groups} in AWS)
     * @param unitsPrefix    only claim values with this prefix count, prefix removed (default none;
     *                       {@code bu:} in AWS, so other Cognito groups are ignored)
     * @param principalClaim claim naming the caller, recorded as {@code submitted_by} (default {@code sub}); a
     *                       comma-separated list is a fallback chain, the first claim present and not blank
     *                       wins. AWS uses {@code username,cognito:username,sub}: a Cognito access token
     *                       names the user in {@code username}, an ID token in {@code cognito:username}, and
     *                       both carry {@code sub}, so either token kind of one user records the same name.
     * @param maxTokenLifetime mode hs256: a token must carry {@code exp}, no further from its {@code iat} (or
     *                       from now) than this (default 24h); an identity provider's tokens (mode jwks)
     *                       are bounded by the provider
     * @param operatorGroup  a value of the units claim (taken as is, no prefix) that makes the caller an
     *                       operator, who may read {@code /actuator/**} beyond the health probes (default
     *                       {@code soi-operator}; a Cognito group of that name in AWS)
     */
    public record Auth(@DefaultValue("hs256") String mode,
                       String secret,
                       String issuerUri,
                       String jwkSetUri,
                       String audience,
                       @DefaultValue("business_units") String unitsClaim,
                       @DefaultValue("") String unitsPrefix,
                       @DefaultValue("sub") String principalClaim,
                       @DefaultValue("24h") Duration maxTokenLifetime,
                       @DefaultValue(DEFAULT_OPERATOR_GROUP) String operatorGroup) {
        public static final String HS256 = "hs256";
        public static final String JWKS = "jwks";
        public static final int MIN_SECRET_BYTES = 32;
        public static final String DEFAULT_OPERATOR_GROUP = "soi-operator";
        public static final Duration DEFAULT_MAX_TOKEN_LIFETIME = Duration.ofHours(24);

        @ConstructorBinding
        public Auth {
            requireNonNull(mode, "soi.api.auth.mode");
            mode = mode.toLowerCase(Locale.ROOT);
            checkArgument(mode.equals(HS256) || mode.equals(JWKS), "soi.api.auth.mode must be %s or %s: %s", HS256, JWKS, mode);
            if (mode.equals(HS256)) {
                checkArgument(secret != null && secret.getBytes(StandardCharsets.UTF_8).length >= MIN_SECRET_BYTES,
                        "soi.api.auth.secret must be at least %d bytes in mode hs256", MIN_SECRET_BYTES);
            } else {
                checkArgument(notBlank(issuerUri) || notBlank(jwkSetUri),
                        "soi.api.auth.issuer-uri or soi.api.auth.jwk-set-uri is required in mode jwks");
            }
            checkArgument(notBlank(unitsClaim), "soi.api.auth.units-claim must not be blank");
            unitsPrefix = unitsPrefix == null ? "" : unitsPrefix;
            checkArgument(notBlank(principalClaim), "soi.api.auth.principal-claim must not be blank");
            maxTokenLifetime = maxTokenLifetime == null ? DEFAULT_MAX_TOKEN_LIFETIME : maxTokenLifetime;
            checkArgument(maxTokenLifetime.compareTo(Duration.ofMinutes(1)) >= 0,
                    "soi.api.auth.max-token-lifetime must be at least 1m: %s", maxTokenLifetime);
            operatorGroup = operatorGroup == null ? DEFAULT_OPERATOR_GROUP : operatorGroup;
            checkArgument(notBlank(operatorGroup), "soi.api.auth.operator-group must not be blank");
            checkArgument(java.util.Arrays.stream(principalClaim.split(",")).allMatch(Auth::notBlank),
                    "soi.api.auth.principal-claim must be claim names separated by commas: %s", principalClaim);
        }

        /** The principal claims in the order they are tried. */
        public java.util.List<String> principalClaims() {
            return java.util.Arrays.stream(principalClaim.split(",")).map(String::trim).toList();
        }

        /** Claims as read and written by default, with these settings of mode, secret and audience. */
        public Auth(String mode, String secret, String issuerUri, String jwkSetUri, String audience,
                    String unitsClaim, String unitsPrefix, String principalClaim) {
            this(mode, secret, issuerUri, jwkSetUri, audience, unitsClaim, unitsPrefix, principalClaim, null, null);
        }

        public static Auth hs256(String secret) {
            return new Auth(HS256, secret, null, null, null, "business_units", "", "sub");
        }

        public byte[] secretBytes() {
            return secret.getBytes(StandardCharsets.UTF_8);
        }

        private static boolean notBlank(String s) {
            return s != null && !s.isBlank();
        }

        @Override
        public String toString() {
            // The secret must never reach a log line or an actuator page.
            return "Auth[mode=" + mode + ", issuerUri=" + issuerUri + ", jwkSetUri=" + jwkSetUri + ", audience=" + audience
                    + ", unitsClaim=" + unitsClaim + ", unitsPrefix=" + unitsPrefix + ", principalClaim=" + principalClaim
                    + ", maxTokenLifetime=" + maxTokenLifetime + ", operatorGroup=" + operatorGroup + "]";
        }
    }
}
