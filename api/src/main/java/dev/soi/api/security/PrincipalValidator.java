package dev.soi.api.security;

import dev.soi.core.domain.Submission;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The principal claim becomes {@code submitted_by} in every PIT row and in every log line, so a token
 * whose principal is missing, longer than {@link Submission#MAX_SUBMITTER_LENGTH} characters or holds a
 * control character (a newline would forge log lines and break {@code ./soi query}'s table) identifies
 * nobody and is refused with 401. The principal is the first claim of the fallback chain the token carries
 * with a value (as {@link JwtCallers} names the caller).
 */
final class PrincipalValidator implements OAuth2TokenValidator<Jwt> {
    private final java.util.List<String> claims;

    PrincipalValidator(java.util.List<String> claims) {
        this.claims = java.util.List.copyOf(claims);
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt jwt) {
        String claim = String.join(" or ", claims);
        String name = "";
        for (String candidate : claims) {
            Object value = jwt.getClaims().get(candidate);
            if (value != null && !value.toString().isBlank()) {
                claim = candidate;
                name = value.toString();
                break;
            }
        }
        if (name.isBlank() || name.length() > Submission.MAX_SUBMITTER_LENGTH) {
            return fail("the token's " + claim + " claim must name the caller in 1-" + Submission.MAX_SUBMITTER_LENGTH + " characters");
        }
        if (name.chars().anyMatch(PrincipalValidator::isControl)) {
            return fail("the token's " + claim + " claim holds a control character");
        }
        return OAuth2TokenValidatorResult.success();
    }

    static boolean isControl(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.getType(c) == Character.FORMAT;
    }

    private static OAuth2TokenValidatorResult fail(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
    }
}
