package dev.soi.core.domain;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.domain.Checks.shown;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Identity of one batch run, such as {@code 20261123t032500z-1f41a2b3}: the start to the second, then its millisecond in
 * three hex digits ({@code 1f4} is 500 ms) and 20 random bits. It sorts by start time to the millisecond, is safe in an S3
 * key, and is turned into a SQL identifier by {@link #asIdentifier()}. File keys and the latest version folder derive from
 * it, so a retried step rewrites the same keys.
 *
 * <p>Records that name the newest run ({@code _journal/last-done.json}) keep the id that sorts last, so two runs that start
 * in the same second must still sort in the order they ran: {@link #generateAfter} guarantees it within a process. Ids
 * written before the millisecond was encoded have eight random hex digits; they keep their meaning and still parse.
 */
public record RunId(String value) implements Comparable<RunId> {
    private static final Pattern FORMAT = Pattern.compile("[0-9]{8}t[0-9]{6}z-[0-9a-f]{8}");
    private static final int PREFIX_LENGTH = 20;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public RunId {
        requireNonNull(value, "run id");
        checkArgument(FORMAT.matcher(value).matches(), "run id must look like 20261123t032500z-1a2b3c4d: %s", shown(value));
    }

    public static RunId generate(Instant at, RandomGenerator random) {
        return new RunId(prefix(at) + String.format("%05x", random.nextInt(1 << 20)));
    }

    /**
     * A run id at {@code at} that sorts after {@code previous} (none when null): when the clock has not moved past
     * {@code previous}'s millisecond (two runs in one millisecond, or a clock stepped back), the millisecond after it.
     */
    public static RunId generateAfter(Instant at, RunId previous, RandomGenerator random) {
        if (previous == null || prefix(at).compareTo(previous.value.substring(0, PREFIX_LENGTH)) > 0) {
            return generate(at, random);
        }
        int millis = Integer.parseInt(previous.value.substring(17, PREFIX_LENGTH), 16);
        Instant after = millis < 1000 ? previous.startedAt().plusMillis(millis + 1L) : previous.startedAt().plusSeconds(1);
        return generate(after, random);
    }

    /** The stamp, a dash, and the millisecond in three hex digits: what orders ids. */
    private static String prefix(Instant at) {
        return STAMP.format(at).toLowerCase(java.util.Locale.ROOT) + "-" + String.format("%03x", at.get(ChronoField.MILLI_OF_SECOND));
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
