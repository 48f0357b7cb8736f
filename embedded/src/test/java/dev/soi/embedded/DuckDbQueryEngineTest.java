package dev.soi.embedded;

import dev.soi.core.domain.PitRow;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryEngineContract;
import dev.soi.parquet.PitParquetWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.io.TempDir;

class DuckDbQueryEngineTest extends QueryEngineContract {
    @TempDir
    Path home;

    private FileSystemObjectStore store() {
        return new FileSystemObjectStore(home.resolve("data"));
    }

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
        return store()::location;
    }

    @Override
    protected void writePitFile(String key, List<PitRow> rows) {
        try (PitParquetWriter writer = PitParquetWriter.open(store().startUpload(key), key, PitParquetWriter.DEFAULT_ROW_GROUP_BYTES)) {
            rows.forEach(writer::write);
            writer.commit();
        }
    }

    @Override
    protected boolean hasFiles(String keyPrefix) {
        return !store().list(keyPrefix).isEmpty();
    }
}
