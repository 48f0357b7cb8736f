package dev.soi.core.local;

import dev.soi.core.domain.PitRow;
import dev.soi.core.parquet.PitParquetWriter;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryEngineContract;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

class DuckDbQueryEngineTest extends QueryEngineContract {
    @TempDir
    Path home;

    @Override
    protected QueryEngine newEngine() {
        return new DuckDbQueryEngine(home.resolve("catalog"));
    }

    @Override
    protected QueryEngine readerOnSameCatalog() {
        return new DuckDbQueryEngine(home.resolve("catalog"));
    }

    @Override
    protected Function<String, String> locationOfKey() {
        return key -> home.resolve("data").toAbsolutePath() + "/" + key;
    }

    @Override
    protected void writePitFile(String key, List<PitRow> rows) {
        Path target = home.resolve("data").resolve(key);
        try (PitParquetWriter writer = PitParquetWriter.open(new FileUpload(target), key, PitParquetWriter.DEFAULT_ROW_GROUP_BYTES)) {
            rows.forEach(writer::write);
            writer.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected boolean hasFiles(String keyPrefix) {
        Path folder = home.resolve("data").resolve(keyPrefix);
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Just enough of an upload to put a test file in place: written aside, moved in on commit. */
    private static final class FileUpload extends ObjectStore.Upload {
        private final Path target;
        private final Path temp;
        private final OutputStream out;
        private boolean done;

        FileUpload(Path target) throws IOException {
            this.target = target;
            Files.createDirectories(target.getParent());
            this.temp = Files.createTempFile(target.getParent(), ".upload", ".tmp");
            this.out = Files.newOutputStream(temp);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void commit() throws IOException {
            out.close();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            done = true;
        }

        @Override
        public void close() throws IOException {
            out.close();
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }
}
