package dev.soi.core.domain;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The new state of one package in a submission: its full set of reference ids. The ids are kept sorted
 * and distinct (duplicates in a request collapse). An empty set is a deletion: the package leaves the
 * latest table and the PIT table records one tombstone row.
 */
public record PackageChange(PackageName packageName, List<Long> referenceIds) {

    public PackageChange {
        requireNonNull(packageName, "package name");
        requireNonNull(referenceIds, "reference ids");
        long[] ids = new long[referenceIds.size()];
        for (int i = 0; i < ids.length; i++) {
            Long id = requireNonNull(referenceIds.get(i), "reference id #" + i);
            ReferenceId.of(id); // validates the range
            ids[i] = id;
        }
        referenceIds = LongStream.of(ids).sorted().distinct().boxed().toList();
    }

    public static PackageChange set(String packageName, long... ids) {
        return new PackageChange(PackageName.of(packageName), Arrays.stream(ids).boxed().toList());
    }

    public static PackageChange delete(String packageName) {
        return new PackageChange(PackageName.of(packageName), List.of());
    }

    public boolean isDeletion() {
        return referenceIds.isEmpty();
    }

    /** Rows this change contributes to the PIT table: one per id, or one tombstone. */
    public int rowCount() {
        return isDeletion() ? 1 : referenceIds.size();
    }
}
