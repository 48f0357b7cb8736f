package dev.soi.api.security;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.soi.api.ApiProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Mints HS256 bearer tokens the API accepts in mode {@code hs256}: the local stack's stand-in for an
 * identity provider ({@code ./soi token}). The claims follow the same {@code soi.api.auth} settings the
 * API reads, so a token minted with the API's own properties always round-trips.
 */
public final class LocalTokens {
    /** Issuer written into local tokens; informative only (mode hs256 trusts the shared secret). */
    public static final String ISSUER = "soi-local";

    private final ApiProperties.Auth auth;
    private final Clock clock;

    public LocalTokens(ApiProperties.Auth auth, Clock clock) {
        this.auth = requireNonNull(auth, "auth");
        this.clock = requireNonNull(clock, "clock");
        checkArgument(auth.mode().equals(ApiProperties.Auth.HS256), "local tokens need soi.api.auth.mode=hs256, not %s", auth.mode());
    }

    /** A token with the default claim names ({@code sub}, {@code business_units}, no prefix). */
    public static String mint(String secret, String user, List<String> businessUnits, Duration ttl) {
        return new LocalTokens(ApiProperties.Auth.hs256(secret), Clock.systemUTC()).mint(user, businessUnits, ttl);
    }

    /**
     * @param user          the principal, written to the configured principal claim (and {@code sub})
     * @param businessUnits unit codes; the configured prefix is added to each
     * @param ttl           lifetime from now
     */
    public String mint(String user, List<String> businessUnits, Duration ttl) {
        requireNonNull(user, "user");
        checkArgument(!user.isBlank(), "user must not be blank");
        requireNonNull(businessUnits, "business units");
        requireNonNull(ttl, "ttl");
        checkArgument(!ttl.isNegative() && !ttl.isZero(), "ttl must be positive: %s", ttl);
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject(user)
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .claim(auth.principalClaims().get(0), user)
                .claim(auth.unitsClaim(), businessUnits.stream().map(u -> auth.unitsPrefix() + u).toList());
        if (auth.audience() != null && !auth.audience().isBlank()) {
            claims.audience(auth.audience());
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(new MACSigner(auth.secretBytes()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a local token: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
