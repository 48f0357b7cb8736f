package dev.soi.parquet;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.ObjectStore;
import java.io.IOException;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Parquet's view of an {@link ObjectStore.Upload}: a stream that knows its position. Closing the stream
 * (which the Parquet writer does when it wrote the footer) only flushes: committing or discarding the
 * upload stays with the caller, so a file that failed half-way never becomes visible.
 */
final class UploadOutputFile implements OutputFile {
    private final ObjectStore.Upload upload;
    private final String key;
    private PositionOutputStream stream;

    UploadOutputFile(ObjectStore.Upload upload, String key) {
        this.upload = requireNonNull(upload, "upload");
        this.key = requireNonNull(key, "key");
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        if (stream != null) {
            throw new IllegalStateException("upload " + key + " was already opened");
        }
        stream = new PositionOutputStream() {
            private long position;

            @Override
            public long getPos() {
                return position;
            }

            @Override
            public void write(int b) throws IOException {
                upload.write(b);
                position++;
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                upload.write(bytes, offset, length);
                position += length;
            }

            @Override
            public void flush() throws IOException {
                upload.flush();
            }

            @Override
            public void close() throws IOException {
                upload.flush();
            }
        };
        return stream;
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return key;
    }

    long bytesWritten() throws IOException {
        return stream == null ? 0 : stream.getPos();
    }
}
