package dev.soi.embedded;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.PitRow;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryEngineContract;
import dev.soi.core.port.QueryFailedException;
import dev.soi.parquet.PitParquetWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
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

    /** A reader never takes a damaged latest file for an empty table: every read of it fails, naming the file. */
    @Test
    void readsOfADamagedLatestVersionFailInsteadOfAnsweringNoRows() throws IOException {
        engine.execute(statements.createDatabase());
        engine.execute(statements.createPitTable());
        List<BusinessUnit> units = List.of(BusinessUnit.of("AE"));
        engine.execute(statements.createLatestTable(StorageLayout.latestVersionPrefix(StorageLayout.LATEST_EMPTY_VERSION), units));
        PitPartition partition = new PitPartition(BusinessUnit.of("AE"), LocalDate.of(2024, 5, 16));
        Instant at = Instant.parse("2024-05-16T10:00:00Z");
        SubmissionId id = SubmissionId.generate(at, new Random(1));
        writePitFile(StorageLayout.pitFileKey(partition, new RunId("20240516t100000z-0000abcd"), 0), List.of(
                new PitRow(1L, PackageName.of("p8_2"), at, id, "alice", "20240516t100000z-0000abcd", partition.businessUnit(), partition.requestDate())));
        statements.addPartitions(List.of(partition)).forEach(engine::execute);
        String prefix = StorageLayout.latestVersionPrefix("20240516t100000z-0000abcd");
        String unitPrefix = LatestLayout.latestUnitPrefix("20240516t100000z-0000abcd", BusinessUnit.of("AE"));
        engine.execute(statements.createLatestUnit("security_of_interest_latest_stg_v1", unitPrefix,
                statements.latestUnitFromPit(BusinessUnit.of("AE"))));
        engine.execute(statements.dropStaging("security_of_interest_latest_stg_v1"));
        engine.execute(statements.swapLatest(prefix, units));
        Path file = Path.of(store().location(unitPrefix)).resolve("data.parquet");
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));

        QueryEngine reader = readerOnSameCatalog();
        for (var read : List.of(statements.latestPackage(BusinessUnit.of("AE"), PackageName.of("p8_2")),
                statements.latestUnitPage(BusinessUnit.of("AE"), 0, 101), statements.latestUnit(BusinessUnit.of("AE")))) {
            assertThatThrownBy(() -> reader.query(read)).as(read.template()).isInstanceOf(QueryFailedException.class)
                    .hasMessageContaining(StorageLayout.LATEST_TABLE + " at " + store().location(prefix) + " cannot be read");
        }
    }

    @Override
    protected boolean hasFiles(String keyPrefix) {
        return !store().list(keyPrefix).isEmpty();
    }
}
