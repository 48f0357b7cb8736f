package dev.soi.batch.testing;

import dev.soi.core.domain.PitRow;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryEngineContract;
import dev.soi.core.testing.InMemoryObjectStore;
import dev.soi.core.testing.InMemoryQueryEngine;
import dev.soi.parquet.PitParquetReader;
import dev.soi.parquet.PitParquetWriter;
import java.util.List;
import java.util.function.Function;

/**
 * The in-memory fake of the query engine passes the contract every engine passes, over the same Parquet files the
 * batch writes. It runs here, where Parquet is on the test classpath; the fake itself lives in core's test jar.
 */
class InMemoryQueryEngineTest extends QueryEngineContract {
    private final InMemoryObjectStore store = new InMemoryObjectStore();
    private InMemoryQueryEngine fake;

    @Override
    protected QueryEngine newEngine() {
        fake = new InMemoryQueryEngine(store, PitParquetReader::read);
        return fake;
    }

    @Override
    protected QueryEngine readerOnSameCatalog() {
        return fake.reader();
    }

    @Override
    protected Function<String, String> locationOfKey() {
        return store::location;
    }

    @Override
    protected void writePitFile(String key, List<PitRow> rows) {
        try (PitParquetWriter writer = PitParquetWriter.open(store.startUpload(key), key, PitParquetWriter.DEFAULT_ROW_GROUP_BYTES)) {
            rows.forEach(writer::write);
            writer.commit();
        }
    }

    @Override
    protected boolean hasFiles(String keyPrefix) {
        return !store.list(keyPrefix).isEmpty();
    }
}
