package dev.soi.core.domain;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.domain.Checks.show;
import static dev.soi.core.domain.Checks.shown;

import java.time.Instant;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * A UUIDv7 assigned by the API on acceptance. Its leading 48 bits are the acceptance time in
 * milliseconds, so ids sort by time; it breaks ties between versions with equal timestamps and makes
 * replays idempotent.
 */
public record SubmissionId(UUID value) implements Comparable<SubmissionId> {

    public SubmissionId {
        requireNonNull(value, "submission id");
        checkArgument(value.version() == 7 && value.variant() == 2, "submission id must be a UUIDv7: %s", value);
    }

    public static SubmissionId parse(String text) {
        requireNonNull(text, "submission id");
        UUID uuid;
        try {
            uuid = UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("submission id is not a UUID: " + show(text));
        }
        checkArgument(uuid.toString().equals(text.toLowerCase(java.util.Locale.ROOT)), "submission id is not a canonical UUID: %s", shown(text));
        return new SubmissionId(uuid);
    }

    /** A new UUIDv7 for the given instant (RFC 9562, section 5.7): 48-bit ms timestamp, version, 74 random bits. */
    public static SubmissionId generate(Instant at, RandomGenerator random) {
        long millis = at.toEpochMilli();
        long msb = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new SubmissionId(new UUID(msb, lsb));
    }

    public Instant timestamp() {
        return Instant.ofEpochMilli(value.getMostSignificantBits() >>> 16);
    }

    /** Compares as the canonical strings compare, which is how the SQL engines order them. */
    @Override
    public int compareTo(SubmissionId other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
