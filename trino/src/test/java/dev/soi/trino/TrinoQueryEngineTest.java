package dev.soi.trino;

import dev.soi.core.domain.PitRow;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryEngineContract;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.parquet.PitParquetWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QueryEngine contract on Trino, with the statements rendered for Athena: {@code s3://} locations, which the
 * engine maps to the test's folder, and every non-translated statement byte for byte.
 */
class TrinoQueryEngineTest extends QueryEngineContract {

    private static final String BUCKET = "s3://soi-contract-bucket/";

    @TempDir
    Path home;

    private Map<String, String> folders() {
        return Map.of(BUCKET, home.resolve("data").toAbsolutePath() + "/");
    }

    @Override
    protected QueryEngine newEngine() {
        return SharedTrino.engine(DATABASE, folders());
    }

    @Override
    protected QueryEngine readerOnSameCatalog() {
        return SharedTrino.reader(folders());
    }

    @Override
    protected Function<String, String> locationOfKey() {
        return key -> BUCKET + key;
    }

    @Override
    protected void writePitFile(String key, List<PitRow> rows) {
        FileSystemObjectStore store = new FileSystemObjectStore(home.resolve("data"));
        try (PitParquetWriter writer = PitParquetWriter.open(store.startUpload(key), key, PitParquetWriter.DEFAULT_ROW_GROUP_BYTES)) {
            rows.forEach(writer::write);
            writer.commit();
        }
    }

    @Override
    protected boolean hasFiles(String keyPrefix) {
        return !new FileSystemObjectStore(home.resolve("data")).list(keyPrefix).isEmpty();
    }
}
