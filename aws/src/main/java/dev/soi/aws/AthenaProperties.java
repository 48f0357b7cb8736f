package dev.soi.aws;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.domain.Checks.show;

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
 * @param throttleRetries  how often a throttled call is retried, with full jitter (default 8)
 */
public record AthenaProperties(String workgroup, String database, String outputLocation, Duration pollInitial,
                               Duration pollMax, Duration statementTimeout, int throttleRetries) {
    public AthenaProperties {
        requireNonNull(workgroup, "athena workgroup");
        checkArgument(workgroup.matches("[a-zA-Z0-9._-]{1,128}"), "athena workgroup must be 1-128 of a-z A-Z 0-9 . _ -: %s", show(workgroup));
        requireNonNull(database, "athena database");
        checkArgument(database.matches("[a-z_][a-z0-9_]{0,127}"), "athena database must match [a-z_][a-z0-9_]*: %s", show(database));
        checkArgument(outputLocation == null || outputLocation.matches("s3://[a-z0-9][a-z0-9.-]{1,62}/.*"),
                "athena output location must be s3://bucket/…: %s", show(outputLocation));
        pollInitial = pollInitial == null ? Duration.ofMillis(200) : pollInitial;
        pollMax = pollMax == null ? Duration.ofSeconds(5) : pollMax;
        statementTimeout = statementTimeout == null ? Duration.ofMinutes(30) : statementTimeout;
        checkArgument(!pollInitial.isNegative() && pollMax.compareTo(pollInitial) >= 0, "athena poll interval must be 0 <= initial <= max: %s, %s", pollInitial, pollMax);
        checkArgument(!statementTimeout.isNegative() && !statementTimeout.isZero(), "athena statement timeout must be positive: %s", statementTimeout);
        checkArgument(throttleRetries >= 0 && throttleRetries <= 20, "athena throttle retries must be 0-20: %d", throttleRetries);
    }

    public static AthenaProperties of(String workgroup, String database, String outputLocation) {
        return new AthenaProperties(workgroup, database, outputLocation, null, null, null, 8);
    }
}
