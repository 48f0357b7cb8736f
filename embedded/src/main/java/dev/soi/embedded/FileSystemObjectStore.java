package dev.soi.embedded;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.domain.Checks.shown;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.PendingUpload;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.WriteOutcome;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The bucket as a local directory. Every object is a file under the root at its key; writes go to a
 * temp file in {@code .staging/} and are renamed into place, so a reader never sees a partial object
 * (Iceberg's InMemoryFileIO and S3 behave the same). A staged upload ({@link FileUpload#stage()}) is that hidden temp
 * file left in place, its name the upload id, until {@link #completeUpload} renames it to its key, from this process or
 * another one. The etag is the MD5 of the content, like S3's for single-part objects.
 *
 * <p>Conditional writes hold an in-JVM lock and an OS file lock on {@code .staging/.lock}, so they are
 * atomic across threads and across processes sharing the root ({@code ./soi} commands next to a running
 * stack). Thread-safe.
 */
public final class FileSystemObjectStore implements ObjectStore {
    private static final String STAGING = ".staging";
    private static final String UPLOAD_PREFIX = "upload-";

    private final Path root;
    private final Path staging;
    private final ReentrantLock conditionalLock = new ReentrantLock();

    public FileSystemObjectStore(Path root) {
        this.root = requireNonNull(root, "root").toAbsolutePath().normalize();
        this.staging = this.root.resolve(STAGING);
        try {
            Files.createDirectories(staging);
        } catch (IOException e) {
            throw new ObjectStoreException("cannot create the local object store at " + this.root, e);
        }
        AbandonedUploads.sweep(staging, Instant.now());
    }

    @Override
    public Optional<StoredObject> get(String key) {
        Path file = file(key);
        try {
            byte[] content = Files.readAllBytes(file);
            return Optional.of(new StoredObject(key, content, etag(content)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ObjectStoreException("cannot read " + key + " from " + root, e);
        }
    }

    @Override
    public void put(String key, byte[] content) {
        requireNonNull(content, "content");
        publish(key, writeStaged(content));
    }

    @Override
    public WriteOutcome putIfAbsent(String key, byte[] content) {
        requireNonNull(content, "content");
        Path file = file(key);
        return conditionally(key, () -> {
            if (Files.exists(file)) {
                return WriteOutcome.PRECONDITION_FAILED;
            }
            publish(key, writeStaged(content));
            return WriteOutcome.WRITTEN;
        });
    }

    @Override
    public WriteOutcome putIfMatch(String key, byte[] content, String expectedEtag) {
        requireNonNull(content, "content");
        requireNonNull(expectedEtag, "expected etag");
        return conditionally(key, () -> {
            Optional<StoredObject> current = get(key);
            if (current.isEmpty() || !current.get().etag().equals(expectedEtag)) {
                return WriteOutcome.PRECONDITION_FAILED;
            }
            publish(key, writeStaged(content));
            return WriteOutcome.WRITTEN;
        });
    }

    @Override
    public Upload startUpload(String key) {
        Path target = file(key);
        try {
            Path temp = Files.createTempFile(staging, UPLOAD_PREFIX, ".tmp");
            return new FileUpload(key, target, temp, Files.newOutputStream(temp));
        } catch (IOException e) {
            throw new ObjectStoreException("cannot start an upload of " + key + " in " + root, e);
        }
    }

    @Override
    public void completeUpload(PendingUpload upload) {
        Path target = file(upload.key());
        Path staged = staged(upload);
        try {
            Files.createDirectories(target.getParent());
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            // Completed before (a completion called again), or aborted: the object tells which.
            long size = Files.exists(target) ? target.toFile().length() : -1;
            if (size != upload.size()) {
                throw new ObjectStoreException("upload " + upload.uploadId() + " of " + upload.key() + " in " + root + " is gone and "
                        + (size < 0 ? "no object is there" : "the object there has " + size + " bytes, not " + upload.size())
                        + ": it was aborted before it was completed, and its content is lost", e);
            }
        } catch (IOException e) {
            throw new ObjectStoreException("cannot complete the upload of " + upload.key() + " in " + root, e);
        }
    }

    @Override
    public void abortUpload(PendingUpload upload) {
        try {
            Files.deleteIfExists(staged(upload));
        } catch (IOException e) {
            throw new ObjectStoreException("cannot abort the upload of " + upload.key() + " in " + root, e);
        }
    }

    @Override
    public List<ObjectSummary> list(String prefix) {
        requireNonNull(prefix, "prefix");
        // Walk only the deepest folder the prefix names completely; a prefix may end mid-name.
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<ObjectSummary> objects = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(Files::isRegularFile).forEach(path -> {
                String key = keyOf(path);
                if (key.startsWith(prefix) && !key.startsWith(STAGING + "/")) {
                    try {
                        objects.add(new ObjectSummary(key, Files.size(path), Files.getLastModifiedTime(path).toInstant()));
                    } catch (NoSuchFileException deletedMeanwhile) {
                        // a concurrent delete; the object is gone, so it is not listed
                    } catch (IOException e) {
                        throw new ObjectStoreException("cannot stat " + key + " in " + root, e);
                    }
                }
            });
        } catch (IOException e) {
            throw new ObjectStoreException("cannot list " + prefix + " in " + root, e);
        }
        objects.sort((a, b) -> a.key().compareTo(b.key()));
        return objects;
    }

    @Override
    public void delete(Collection<String> keys) {
        List<String> failed = new ArrayList<>();
        for (String key : keys) {
            Path file = file(key);
            try {
                Files.deleteIfExists(file);
                pruneEmptyParents(file.getParent());
            } catch (IOException e) {
                failed.add(key + " (" + e + ")");
            }
        }
        if (!failed.isEmpty()) {
            throw new ObjectStoreException("cannot delete " + failed.size() + " objects from " + root + ": " + failed);
        }
    }

    @Override
    public String location(String keyPrefix) {
        requireNonNull(keyPrefix, "key prefix");
        if (keyPrefix.isEmpty()) {
            return root + "/";
        }
        String path = file(keyPrefix.endsWith("/") ? keyPrefix.substring(0, keyPrefix.length() - 1) : keyPrefix).toString();
        return keyPrefix.endsWith("/") ? path + "/" : path;
    }

    /** The root folder (for tools that read the files directly, like the local query engine). */
    public Path root() {
        return root;
    }

    /** The hidden file a staged upload keeps its content in; the id comes from a record, so it is checked to stay there. */
    private Path staged(PendingUpload upload) {
        String id = upload.uploadId();
        checkArgument(id.startsWith(UPLOAD_PREFIX) && id.matches("[A-Za-z0-9._-]+") && !id.contains(".."),
                "not an upload id of this store: %s", shown(id));
        return staging.resolve(id);
    }

    private Path file(String key) {
        requireNonNull(key, "key");
        checkArgument(!key.isEmpty(), "object key is empty");
        checkArgument(!key.startsWith("/") && !key.contains("\\") && !key.contains("//"),
                "object key must be relative, with / between non-empty segments: %s", shown(key));
        for (String segment : key.split("/")) {
            checkArgument(!segment.equals("..") && !segment.equals("."), "object key must not contain . or .. segments: %s", shown(key));
        }
        for (int i = 0; i < key.length(); i++) {
            checkArgument(key.charAt(i) >= 0x20 && key.charAt(i) != 0x7f, "object key must not contain control characters: %s", shown(key));
        }
        checkArgument(!key.equals(STAGING) && !key.startsWith(STAGING + "/"), "object key must not be under %s: %s", STAGING, shown(key));
        return root.resolve(key);
    }

    private String keyOf(Path path) {
        return root.relativize(path).toString().replace('\\', '/');
    }

    private Path writeStaged(byte[] content) {
        try {
            Path temp = Files.createTempFile(staging, "put-", ".tmp");
            Files.write(temp, content);
            return temp;
        } catch (IOException e) {
            throw new ObjectStoreException("cannot stage a write in " + staging, e);
        }
    }

    private void publish(String key, Path temp) {
        Path target = file(key);
        try {
            Files.createDirectories(target.getParent());
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the staging folder is scratch space
            }
            throw new ObjectStoreException("cannot write " + key + " in " + root, e);
        }
    }

    private WriteOutcome conditionally(String key, Supplier<WriteOutcome> write) {
        conditionalLock.lock();
        try (FileChannel channel = FileChannel.open(staging.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            return write.get();
        } catch (IOException e) {
            throw new ObjectStoreException("cannot lock " + staging + " for a conditional write of " + key, e);
        } finally {
            conditionalLock.unlock();
        }
    }

    /** Removes folders the last object left, so a prefix without objects has no folder (as on S3). */
    private void pruneEmptyParents(Path folder) {
        Path current = folder;
        while (current != null && current.startsWith(root) && !current.equals(root) && !current.equals(staging)) {
            try {
                Files.delete(current);
            } catch (IOException notEmptyOrGone) {
                return;
            }
            current = current.getParent();
        }
    }

    private static String etag(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is always available", e);
        }
    }
}
