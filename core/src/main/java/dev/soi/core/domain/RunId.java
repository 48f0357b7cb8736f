package dev.soi.core.domain;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.domain.Checks.show;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Identity of one batch run, such as {@code 20261123t032500z-1a2b3c4d}: sortable by start time, safe in an
 * S3 key, and turned into a SQL identifier by {@link #asIdentifier()}. File keys and the latest version
 * folder derive from it, so a retried step rewrites the same keys.
 */
public record RunId(String value) implements Comparable<RunId> {
    private static final Pattern FORMAT = Pattern.compile("[0-9]{8}t[0-9]{6}z-[0-9a-f]{8}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public RunId {
        requireNonNull(value, "run id");
        checkArgument(FORMAT.matcher(value).matches(), "run id must look like 20261123t032500z-1a2b3c4d: %s", show(value));
    }

    public static RunId generate(Instant at, RandomGenerator random) {
        return new RunId(STAMP.format(at).toLowerCase(java.util.Locale.ROOT) + "-" + String.format("%08x", random.nextInt()));
    }

    /** The run id {@code value} spells, or empty if it is not one (a version folder such as {@code initial}). */
    public static Optional<RunId> parse(String value) {
        return value != null && FORMAT.matcher(value).matches() ? Optional.of(new RunId(value)) : Optional.empty();
    }

    /** When the run started, to the second: the stamp its id begins with. */
    public Instant startedAt() {
        return java.time.ZonedDateTime.parse(value.substring(0, 16).toUpperCase(java.util.Locale.ROOT), STAMP).toInstant();
    }

    public String asIdentifier() {
        return "r" + value.replace('-', '_');
    }

    @Override
    public int compareTo(RunId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
