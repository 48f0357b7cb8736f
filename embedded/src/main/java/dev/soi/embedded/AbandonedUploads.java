package dev.soi.embedded;

import dev.soi.core.port.ObjectStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * The folder store's counterpart of the bucket's {@code AbortIncompleteMultipartUpload} rule: temp files in
 * {@code .staging/} (uploads a crashed run staged and no recovery completed or aborted, and writes cut short) are deleted
 * once older than {@link #AFTER}, the rule's age in the template. Anything younger may still be completed by the recovery
 * of a committed run, so it stays.
 */
final class AbandonedUploads {
    /** As the bucket's rule: far longer than any recovery. */
    static final Duration AFTER = Duration.ofDays(30);

    private AbandonedUploads() {
    }

    /** Deletes the temp files in {@code staging} last written more than {@link #AFTER} before {@code now}. */
    static void sweep(Path staging, Instant now) {
        Instant before = now.minus(AFTER);
        try (Stream<Path> files = Files.list(staging)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList()) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new ObjectStoreException("cannot sweep abandoned uploads in " + staging, e);
        }
    }
}
