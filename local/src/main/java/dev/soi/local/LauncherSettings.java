package dev.soi.local;

import dev.soi.api.BusinessUnitRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code SOI_*} variables, read and checked before anything starts, so a bad one is one line that
 * names the variable (and the property it sets) instead of a Spring stack trace.
 *
 * @param home      {@code SOI_HOME}, default {@code ./.soi}
 * @param port      {@code SOI_PORT} (server.port), default 8080; 0 picks a free port
 * @param portSet   whether {@code SOI_PORT} was given (client commands otherwise use the running stack's port file)
 * @param schedule  {@code SOI_SCHEDULE} (soi.local.schedule), default 60s; a number needs a unit
 * @param registry  {@code SOI_BUSINESS_UNITS} (soi.business-units), default AE,CMF
 */
record LauncherSettings(LocalHome home, int port, boolean portSet, Duration schedule, BusinessUnitRegistry registry) {
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    static LauncherSettings from(Map<String, String> env) {
        String home = value(env, "SOI_HOME");
        return new LauncherSettings(new LocalHome(Path.of(home == null ? ".soi" : home)),
                port(value(env, "SOI_PORT")), value(env, "SOI_PORT") != null,
                schedule(value(env, "SOI_SCHEDULE")), registry(value(env, "SOI_BUSINESS_UNITS")));
    }

    private static String value(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? null : value.strip();
    }

    static int port(String text) {
        if (text == null) {
            return 8080;
        }
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad("SOI_PORT", text, "is not a port: use 1-65535, or 0 for any free one (server.port)");
    }

    static Duration schedule(String text) {
        if (text == null) {
            return Duration.ofSeconds(60);
        }
        Duration duration = withUnit(text).orElse(null);
        if (duration == null && text.matches("\\d+")) {
            throw bad("SOI_SCHEDULE", text, "needs a unit: write " + text + "s, " + text + "m or " + text + "h (soi.local.schedule)");
        }
        if (duration == null) {
            try {
                duration = Duration.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                throw bad("SOI_SCHEDULE", text, "is not a duration: write 30s, 5m or 1h (soi.local.schedule)");
            }
        }
        if (duration.compareTo(Duration.ofSeconds(1)) < 0) {
            throw bad("SOI_SCHEDULE", text, "must be at least 1s (soi.local.schedule)");
        }
        return duration;
    }

    /** A number and a unit, as people write it: {@code 500ms}, {@code 90s}, {@code 30m}, {@code 12h}, {@code 1d}. */
    static Optional<Duration> withUnit(String text) {
        Matcher simple = SIMPLE_DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!simple.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(simple.group(1));
        return Optional.of(switch (simple.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        });
    }

    static BusinessUnitRegistry registry(String text) {
        if (text == null) {
            return BusinessUnitRegistry.of("AE", "CMF");
        }
        try {
            return new BusinessUnitRegistry(Arrays.asList(text.split(",", -1)));
        } catch (IllegalArgumentException e) {
            throw bad("SOI_BUSINESS_UNITS", text, "is not a list of business units: " + e.getMessage()
                    + "; write codes such as AE,CMF (soi.business-units)");
        }
    }

    /** The settings as the system properties the stack's Spring context reads, over application.properties. */
    Map<String, String> systemProperties() {
        return Map.of("soi.local.home", home.root().toString(),
                "server.port", Integer.toString(port),
                "soi.local.schedule", schedule.toMillis() + "ms",
                "soi.business-units", String.join(",", registry.businessUnits()));
    }

    private static CliException bad(String variable, String value, String why) {
        return new CliException(Soi.USAGE, variable + "=" + dev.soi.core.domain.Checks.show(value) + " " + why);
    }
}
