package dev.soi.embedded;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.PendingUpload;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * One upload of {@link FileSystemObjectStore}: a hidden temp file in {@code .staging/}, renamed to its key on commit,
 * left where it is when staged (its name is the upload id), deleted on close without either.
 */
final class FileUpload extends ObjectStore.Upload {
    private final String key;
    private final Path target;
    private final Path temp;
    private final OutputStream out;
    private long size;

    FileUpload(String key, Path target, Path temp, OutputStream out) {
        super(key);
        this.key = key;
        this.target = target;
        this.temp = temp;
        this.out = out;
    }

    @Override
    protected void append(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        size += len;
    }

    @Override
    protected void publish() throws IOException {
        out.close();
        Files.createDirectories(target.getParent());
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    protected PendingUpload keep() throws IOException {
        out.close();
        return new PendingUpload(key, temp.getFileName().toString(), List.of(), size);
    }

    @Override
    protected void discard() throws IOException {
        out.close();
        Files.deleteIfExists(temp);
    }
}
