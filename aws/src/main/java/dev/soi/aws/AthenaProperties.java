package dev.soi.aws;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.domain.Checks.shown;

import java.time.Duration;

/**
 * How {@link AthenaQueryEngine} runs statements.
 *
 * @param workgroup        the Athena workgroup (its settings may enforce the output location)
 * @param database         the Glue database statements run in, {@code df_trusted_<env>}
 * @param outputLocation   {@code s3://…/} for query results, or null when the workgroup enforces one
 * @param pollInitial      first wait between status polls (default 200 ms), doubled up to {@code pollMax}
 * @param pollMax          longest wait between polls (default 5 s)
 * @param statementTimeout a statement running longer is stopped and fails (default 30 min)
 * @param throttleBackoffMax the longest wait before retrying a throttled call (default 10 s). A throttled call is retried
 *                         with exponential backoff and full jitter for as long as its statement's deadline allows: the
 *                         statement timeout, or the invocation's deadline when that comes first
 */
public record AthenaProperties(String workgroup, String database, String outputLocation, Duration pollInitial,
                               Duration pollMax, Duration statementTimeout, Duration throttleBackoffMax) {
    public AthenaProperties {
        requireNonNull(workgroup, "athena workgroup");
        checkArgument(workgroup.matches("[a-zA-Z0-9._-]{1,128}"), "athena workgroup must be 1-128 of a-z A-Z 0-9 . _ -: %s", shown(workgroup));
        requireNonNull(database, "athena database");
        checkArgument(database.matches("[a-z_][a-z0-9_]{0,127}"), "athena database must match [a-z_][a-z0-9_]*: %s", shown(database));
        checkArgument(outputLocation == null || outputLocation.matches("s3://[a-z0-9][a-z0-9.-]{1,62}/.*"),
                "athena output location must be s3://bucket/…: %s", shown(outputLocation));
        pollInitial = pollInitial == null ? Duration.ofMillis(200) : pollInitial;
        pollMax = pollMax == null ? Duration.ofSeconds(5) : pollMax;
        statementTimeout = statementTimeout == null ? Duration.ofMinutes(30) : statementTimeout;
        checkArgument(!pollInitial.isNegative() && pollMax.compareTo(pollInitial) >= 0, "athena poll interval must be 0 <= initial <= max: %s, %s", pollInitial, pollMax);
        checkArgument(!statementTimeout.isNegative() && !statementTimeout.isZero(), "athena statement timeout must be positive: %s", statementTimeout);
        throttleBackoffMax = throttleBackoffMax == null ? Duration.ofSeconds(10) : throttleBackoffMax;
        checkArgument(throttleBackoffMax.compareTo(Duration.ofMillis(100)) >= 0, "athena throttle backoff must be at least 100 ms: %s", throttleBackoffMax);
    }

    public static AthenaProperties of(String workgroup, String database, String outputLocation) {
        return new AthenaProperties(workgroup, database, outputLocation, null, null, null, null);
    }
}
