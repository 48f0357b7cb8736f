package dev.soi.core.domain;

import static dev.soi.core.domain.Checks.checkArgument;

/**
 * A security id. Positive and at most 2^53-1, so that it survives a round trip through any JSON client
 * (JavaScript numbers are doubles) and fits Athena's {@code bigint}.
 */
public record ReferenceId(long value) implements Comparable<ReferenceId> {
    public static final long MIN = 1;
    public static final long MAX = (1L << 53) - 1;

    public ReferenceId {
        checkArgument(isValid(value), "reference id must be between %d and %d: %d", MIN, MAX, value);
    }

    public static ReferenceId of(long value) {
        return new ReferenceId(value);
    }

    public static boolean isValid(long value) {
        return value >= MIN && value <= MAX;
    }

    @Override
    public int compareTo(ReferenceId other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toString(value);
    }
}
