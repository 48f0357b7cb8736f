package dev.soi.batch.latest;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.journal.PublishedFile;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.ObjectStore;
import java.util.List;
import java.util.Optional;

/**
 * Whether the latest version readers read is still what its run published: its files listed now against the keys and
 * sizes recorded at the swap ({@link ManifestJournal.LastDone#latestFiles()}). One listing of the version's folder and no
 * data read, so every run and every {@code status} can afford it. A version published before files were recorded is not
 * checked.
 *
 * @param differences each file missing, changed in size, or added since the swap
 */
public record LatestDamage(String version, String prefix, List<String> differences) {
    /** How many differences a problem line names before it only counts the rest. */
    private static final int NAMED = 3;

    public LatestDamage {
        requireNonNull(version, "version");
        requireNonNull(prefix, "prefix");
        differences = List.copyOf(differences);
    }

    /** The damage of the version {@code lastDone} published, if its files no longer match what was recorded. */
    public static Optional<LatestDamage> of(ObjectStore store, ManifestJournal.LastDone lastDone) {
        if (lastDone.latestFiles().isEmpty()) {
            return Optional.empty();
        }
        String prefix = StorageLayout.latestVersionPrefix(lastDone.latestVersion());
        List<String> differences = PublishedFile.differences(lastDone.latestFiles(), store.list(prefix));
        return differences.isEmpty() ? Optional.empty() : Optional.of(new LatestDamage(lastDone.latestVersion(), prefix, differences));
    }

    /** The files of the version under {@code prefix}, as they are now: what the run records before it swaps it in. */
    public static List<PublishedFile> filesOf(ObjectStore store, String prefix) {
        return PublishedFile.of(store.list(prefix));
    }

    /** One line: the object, what is wrong with it, what readers see meanwhile, and the repair. */
    public String problem() {
        String named = String.join("; ", differences.subList(0, Math.min(NAMED, differences.size())))
                + (differences.size() > NAMED ? "; and " + (differences.size() - NAMED) + " more" : "");
        return "latest version " + version + " (" + prefix + ") is not what its run published: " + named + ". Readers of the "
                + "latest table get errors or miss rows, and no run applies anything until it is replaced. Repair: "
                + "run rebuild-latest --full (./soi rebuild-latest --full; Lambda {\"command\":\"rebuild-latest\",\"full\":true}) "
                + "rebuilds it from PIT into a new version";
    }
}
