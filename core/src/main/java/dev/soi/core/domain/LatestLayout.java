package dev.soi.core.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * {@link StorageLayout}'s companion for the latest table's partitioned versions: inside each version folder
 * ({@link StorageLayout#latestVersionPrefix}) one {@code business_unit=U/} folder per unit, written by one statement each,
 * and the record of a full rebuild under way. Keys are built here or in {@link StorageLayout}, nowhere else.
 */
public final class LatestLayout {
    /**
     * A full rebuild of the latest table under way, built unit by unit across invocations and published once:
     * {@code {"version", "units", "done", "as_of_run", …}}. Absent when none is under way.
     */
    public static final String LATEST_BUILD_KEY = "_journal/latest-build.json";
    /** The latest table's partition column: each version folder holds one {@code business_unit=U/} folder per unit. */
    public static final String LATEST_PARTITION_COLUMN = "business_unit";
    private static final String UNIT_FOLDER = LATEST_PARTITION_COLUMN + "=";

    private LatestLayout() {}

    /** The folder of {@code unit}'s rows in latest version {@code version}, which one statement writes. */
    public static String latestUnitPrefix(String version, BusinessUnit unit) {
        return StorageLayout.latestVersionPrefix(version) + UNIT_FOLDER + unit.code() + "/";
    }

    /** The unit folder a key of a latest version lies in ({@code …/version=V/business_unit=U/f} gives U), if any. */
    public static Optional<BusinessUnit> latestUnitOf(String key) {
        Optional<String> version = StorageLayout.latestVersionOf(key);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        String rest = key.substring(StorageLayout.latestVersionPrefix(version.get()).length());
        int slash = rest.indexOf('/');
        if (!rest.startsWith(UNIT_FOLDER) || slash < 0) {
            return Optional.empty();
        }
        String unit = rest.substring(UNIT_FOLDER.length(), slash);
        return BusinessUnit.isValid(unit) ? Optional.of(BusinessUnit.of(unit)) : Optional.empty();
    }

    /** The table one unit's statement of run {@code runId}'s latest rebuild creates, dropped right after it. */
    public static String unitStagingTable(RunId runId, BusinessUnit unit) {
        return StorageLayout.stagingTable(runId) + "_" + unit.code().toLowerCase(Locale.ROOT);
    }
}
