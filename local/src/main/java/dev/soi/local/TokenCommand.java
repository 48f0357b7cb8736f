package dev.soi.local;

import dev.soi.api.ApiProperties;
import dev.soi.api.security.LocalTokens;
import dev.soi.core.domain.Submission;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.TypeConversionException;

/** {@code ./soi token}: a bearer token the running stack accepts, signed with this home's secret. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Print a bearer token for the local stack (HS256, signed with $SOI_HOME/jwt-secret).")
final class TokenCommand implements Callable<Integer> {
    @ParentCommand
    Soi soi;
    @Mixin
    JsonOutput output;

    @Option(names = "--user", required = true, paramLabel = "NAME", description = "the caller, recorded as submitted_by (1-256 characters, no control characters)")
    String user;

    @Option(names = "--business-unit", required = true, paramLabel = "BU", split = ",",
            description = "a business unit the caller may use; repeat it or separate with commas")
    List<String> units = new ArrayList<>();

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "12h", converter = TtlConverter.class,
            description = "how long the token is valid: a number and a unit, e.g. 90s, 30m, 12h, 1d (default 12h, at most 24h, "
                    + "the stack's soi.api.auth.max-token-lifetime)")
    Duration ttl;

    @Option(names = "--operator", description = "also grant the operator role (the /local/* controls and /actuator/metrics)")
    boolean operator;

    @Option(names = "--force", description = "mint it even for a business unit the registry (SOI_BUSINESS_UNITS) does not hold")
    boolean force;

    @Option(names = "--raw", description = "print the token alone, for TOKEN=$(./soi token … --raw)")
    boolean raw;

    @Override
    public Integer call() {
        LauncherSettings settings = soi.settings();
        LocalHome home = soi.stateHome();
        if (user.isBlank() || user.length() > Submission.MAX_SUBMITTER_LENGTH || user.chars().anyMatch(Character::isISOControl)) {
            throw new CliException(Soi.USAGE, "--user must be 1-" + Submission.MAX_SUBMITTER_LENGTH
                    + " characters without control characters; the stack refuses any other name");
        }
        if (ttl.compareTo(ApiProperties.Auth.DEFAULT_MAX_TOKEN_LIFETIME) > 0) {
            throw new CliException(Soi.USAGE, "--ttl " + ttl.toHours() + "h is longer than the stack accepts (soi.api.auth.max-token-lifetime, 24h)");
        }
        List<String> unknown = units.stream().filter(u -> settings.registry().find(u).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            String what = "business unit " + String.join(", ", unknown) + " is not in the registry (SOI_BUSINESS_UNITS="
                    + String.join(",", settings.registry().businessUnits()) + "), so the stack answers 404 for it";
            if (!force) {
                throw new CliException(Soi.USAGE, what + "; pass --force to mint the token anyway");
            }
            soi.err.println("soi: warning: " + what);
        }
        List<String> claims = new ArrayList<>(units);
        if (operator) {
            claims.add(ApiProperties.Auth.DEFAULT_OPERATOR_GROUP);
        }
        String token = LocalTokens.mint(home.jwtSecret(), user, claims, ttl);
        if (raw) {
            soi.out.println(token);
            return Soi.OK;
        }
        Instant expires = Instant.now().plus(ttl).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("token", token);
        document.put("user", user);
        document.put("business_units", units);
        document.put("operator", operator);
        document.put("expires_at", expires.toString());
        output.print(soi.out, "A token for " + user + " (business units " + String.join(", ", units) + (operator ? ", operator" : "")
                + "), valid until " + expires + ". Send it as: Authorization: Bearer <token> (or paste it into Swagger UI's Authorize).",
                JsonOutput.write(document));
        return Soi.OK;
    }

    /** {@code 90s}, {@code 30m}, {@code 12h}, {@code 1d}; anything else is refused naming the flag. */
    static final class TtlConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration ttl = LauncherSettings.withUnit(value).orElse(Duration.ZERO);
            if (ttl.toSeconds() >= 1) {
                return ttl;
            }
            throw new TypeConversionException("'" + value + "' is not a duration; write a number and a unit, e.g. 90s, 30m, 12h or 1d");
        }
    }
}
