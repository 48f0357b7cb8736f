package dev.soi.local;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The folder that holds all local state ({@code SOI_HOME}, default {@code ./.soi}), so a restart, a
 * {@code kill -9} or a second command sees the same data. Layout:
 * <pre>
 *   data/        the bucket: PIT and latest Parquet files, run manifests, lease, claim-check payloads
 *   queue/       ElasticMQ's H2 files (queues and messages)
 *   catalog/     the local engine's catalog (registered partitions, current latest version)
 *   events.jsonl every published run event, one JSON object a line
 *   jwt-secret   the HS256 secret of this home's tokens (generated on first use)
 *   stack.port   the port of the running local stack, for ./soi run
 *   stack.lock   held by the running stack (pid and port inside); the OS frees it when the process dies
 * </pre>
 */
public record LocalHome(Path root) {
    private static final String JWT_SECRET = "jwt-secret";

    public LocalHome {
        requireNonNull(root, "SOI_HOME");
        root = root.toAbsolutePath().normalize();
    }

    /** {@code SOI_HOME} from the environment, else {@code ./.soi}. */
    public static LocalHome fromEnvironment() {
        String configured = System.getenv("SOI_HOME");
        return new LocalHome(Path.of(configured == null || configured.isBlank() ? ".soi" : configured));
    }

    public Path data() {
        return dir("data");
    }

    public Path queue() {
        return dir("queue");
    }

    public Path catalog() {
        return dir("catalog");
    }

    public Path events() {
        dir("");
        return root.resolve("events.jsonl");
    }

    public Path portFile() {
        return root.resolve("stack.port");
    }

    /**
     * For the commands that talk to a stack's state ({@code token}, {@code run}, {@code query}, …): a home
     * that no stack ever started in has no {@code jwt-secret}, and inventing one would mint tokens the
     * running stack rejects. Creates nothing.
     *
     * @throws IllegalStateException naming the folder, when it holds no stack state
     */
    public LocalHome requireState() {
        if (!Files.isRegularFile(root.resolve(JWT_SECRET))) {
            throw new IllegalStateException("no stack state under " + root + "; is SOI_HOME right? (./soi local creates it on its first start)");
        }
        return this;
    }

    /** The lock file a running stack holds ({@link StackLock}). */
    public Path lockFile() {
        dir("");
        return root.resolve("stack.lock");
    }

    /**
     * The HS256 secret for this home, created on first use (256 random bits). Kept in the home rather than
     * in configuration so that {@code ./soi token} and the running stack agree without anyone copying it.
     */
    public String jwtSecret() {
        Path file = root.resolve(JWT_SECRET);
        try {
            if (!Files.exists(file)) {
                dir("");
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                Path tmp = Files.createTempFile(root, ".jwt-secret", ".tmp");
                Files.writeString(tmp, Base64.getEncoder().encodeToString(random), StandardCharsets.US_ASCII);
                try {
                    // Two commands starting at once must end up with one secret: a hard link fails if the
                    // name exists (a rename would silently replace it), so the first writer wins.
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException e) {
                    // another command created it first; use theirs
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the token secret " + file, e);
        }
    }

    private Path dir(String name) {
        Path path = name.isEmpty() ? root : root.resolve(name);
        try {
            return Files.createDirectories(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + path + " (SOI_HOME=" + root + ")", e);
        }
    }
}
