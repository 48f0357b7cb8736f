package dev.soi.core.domain;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.time.LocalDate;
import java.util.Comparator;

/** One partition of the PIT table: {@code business_unit=AE/request_date=2024-05-16}. */
public record PitPartition(BusinessUnit businessUnit, LocalDate requestDate) implements Comparable<PitPartition> {
    private static final Comparator<PitPartition> ORDER =
            Comparator.comparing(PitPartition::businessUnit).thenComparing(PitPartition::requestDate);

    public PitPartition {
        requireNonNull(businessUnit, "business unit");
        requireNonNull(requestDate, "request date");
    }

    /** The Hive-style path of this partition below the table's folder, ending in {@code /}. */
    public String path() {
        return "business_unit=" + businessUnit.code() + "/request_date=" + requestDate + "/";
    }

    @Override
    public int compareTo(PitPartition other) {
        return ORDER.compare(this, other);
    }
}
