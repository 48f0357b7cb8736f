package dev.soi.api.security;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Mode hs256: whoever holds the shared secret can mint tokens, so each one must expire, and soon. A
 * token needs {@code exp}, at most {@code soi.api.auth.max-token-lifetime} after its {@code iat}, and,
 * since {@code iat} is the minter's word, at most that far from now as well (plus a minute of clock skew).
 */
final class TokenLifetimeValidator implements OAuth2TokenValidator<Jwt> {
    private static final Duration SKEW = Duration.ofMinutes(1);
    private final Duration max;
    private final Clock clock;

    TokenLifetimeValidator(Duration max, Clock clock) {
        this.max = requireNonNull(max, "max lifetime");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt jwt) {
        Instant exp = jwt.getExpiresAt();
        if (exp == null) {
            return fail("the token has no exp claim; local tokens must expire");
        }
        Instant iat = jwt.getIssuedAt();
        boolean tooLong = iat != null && Duration.between(iat, exp).compareTo(max) > 0
                || Duration.between(clock.instant(), exp).compareTo(max.plus(SKEW)) > 0;
        return tooLong ? fail("the token lives longer than soi.api.auth.max-token-lifetime (" + max + ")") : OAuth2TokenValidatorResult.success();
    }

    private static OAuth2TokenValidatorResult fail(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
    }
}
