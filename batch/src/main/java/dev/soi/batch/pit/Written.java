package dev.soi.batch.pit;

import dev.soi.batch.journal.RunManifest;
import java.util.List;

/** The PIT files {@code write-pit-files} staged, with their rows and bytes. */
public record Written(List<RunManifest.FileEntry> files, long rows, long bytes) {
    public static final Written NONE = new Written(List.of(), 0, 0);

    public Written {
        files = List.copyOf(files);
    }
}
