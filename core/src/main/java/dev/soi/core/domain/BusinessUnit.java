package dev.soi.core.domain;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.domain.Checks.shown;

import java.util.regex.Pattern;

/**
 * A business unit code such as {@code AE} or {@code CMF}. It becomes a Hive partition value and an S3
 * key segment, so only upper-case letters, digits and underscores are allowed, starting with a letter,
 * at most 32 characters. Whether the unit exists is the registry's business, not this type's.
 */
public record BusinessUnit(String code) implements Comparable<BusinessUnit> {
    public static final int MAX_LENGTH = 32;
    private static final Pattern FORMAT = Pattern.compile("[A-Z][A-Z0-9_]{0," + (MAX_LENGTH - 1) + "}");

    public BusinessUnit {
        requireNonNull(code, "business unit");
        checkArgument(FORMAT.matcher(code).matches(),
                "business unit must be 1-%d characters of A-Z, 0-9 or _, starting with a letter: %s", MAX_LENGTH, shown(code));
    }

    public static BusinessUnit of(String code) {
        return new BusinessUnit(code);
    }

    public static boolean isValid(String code) {
        return code != null && FORMAT.matcher(code).matches();
    }

    @Override
    public int compareTo(BusinessUnit other) {
        return code.compareTo(other.code);
    }

    @Override
    public String toString() {
        return code;
    }
}
