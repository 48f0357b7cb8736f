package dev.soi.api.security;

import dev.soi.api.ApiProperties;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Reads a {@link Caller} from a validated token, per {@code soi.api.auth}: the units claim may be a JSON
 * array ({@code cognito:groups}) or one string of space- or comma-separated values; only values with the
 * configured prefix count, prefix removed, so unrelated Cognito groups grant nothing.
 */
public final class JwtCallers {
    private final ApiProperties.Auth auth;

    public JwtCallers(ApiProperties.Auth auth) {
        this.auth = auth;
    }

    /**
     * The name is the first of the principal claims (a fallback chain, {@link ApiProperties.Auth#principalClaims()})
     * that the token carries with a non-blank value; empty when it carries none: such a token identifies nobody
     * and is refused.
     */
    public Caller caller(Jwt jwt) {
        String name = "";
        for (String claimName : auth.principalClaims()) {
            Object raw = jwt.getClaims().get(claimName);
            if (raw != null && !raw.toString().isBlank()) {
                name = raw.toString();
                break;
            }
        }
        Set<String> units = new LinkedHashSet<>();
        Object claim = jwt.getClaims().get(auth.unitsClaim());
        if (claim instanceof Collection<?> values) {
            values.forEach(v -> add(units, String.valueOf(v)));
        } else if (claim instanceof String text) {
            for (String value : text.split("[\\s,]+")) {
                add(units, value);
            }
        }
        return new Caller(name, units);
    }

    private void add(Set<String> units, String value) {
        if (!value.isEmpty() && value.startsWith(auth.unitsPrefix()) && value.length() > auth.unitsPrefix().length()) {
            units.add(value.substring(auth.unitsPrefix().length()));
        }
    }
}
