package dev.soi.core.domain;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.domain.Checks.shown;

import java.util.regex.Pattern;

/**
 * A client-chosen package (job) name, case-sensitive. It appears in URL paths and in SQL values, so it is
 * limited to 1-128 characters of {@code A-Z a-z 0-9 . _ -}, starting with a letter or digit.
 */
public record PackageName(String value) implements Comparable<PackageName> {
    public static final int MAX_LENGTH = 128;
    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    public PackageName {
        requireNonNull(value, "package name");
        checkArgument(!value.isEmpty(), "package name is empty");
        checkArgument(value.length() <= MAX_LENGTH, "package name is longer than %d characters: %s", MAX_LENGTH, shown(value));
        checkArgument(FORMAT.matcher(value).matches(),
                "package name may hold only A-Z, a-z, 0-9, '.', '_' and '-', starting with a letter or digit: %s", shown(value));
    }

    public static PackageName of(String value) {
        return new PackageName(value);
    }

    @Override
    public int compareTo(PackageName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
