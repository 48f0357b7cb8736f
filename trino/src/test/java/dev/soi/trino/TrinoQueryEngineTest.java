package dev.soi.trino;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.PitRow;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryEngineContract;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.parquet.PitParquetWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.SplittableRandom;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
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

    @Test
    void aProfiledQueryReturnsThePlainQuerysRowsAndWhatTheServerRead() throws IOException {
        engine.execute(statements.createDatabase());
        engine.execute(statements.createPitTable());
        BusinessUnit ae = BusinessUnit.of("AE");
        PitPartition partition = new PitPartition(ae, LocalDate.parse("2024-05-16"));
        Instant at = Instant.parse("2024-05-16T10:00:00Z");
        SubmissionId id = SubmissionId.generate(at, new SplittableRandom(1));
        String key = StorageLayout.pitFileKey(partition, new RunId("20240516t100500z-0000abcd"), 0);
        writePitFile(key, List.of(new PitRow(123L, PackageName.of("job_1"), at, id, "alice", "run", ae, partition.requestDate()),
                new PitRow(456L, PackageName.of("job_1"), at, id, "alice", "run", ae, partition.requestDate())));
        statements.addPartitions(List.of(partition)).forEach(engine::execute);

        TrinoQueryEngine.ProfiledResult profiled = ((TrinoQueryEngine) engine).queryProfiled(statements.packageHistory(ae, PackageName.of("job_1")));

        assertThat(profiled.result()).isEqualTo(engine.query(statements.packageHistory(ae, PackageName.of("job_1"))));
        assertThat(profiled.result().rows()).hasSize(1);
        assertThat(profiled.statistics().state()).isEqualTo("FINISHED");
        assertThat(profiled.statistics().processedRows()).isEqualTo(2);
        assertThat(profiled.statistics().physicalInputBytes()).isPositive()
                .isLessThanOrEqualTo(Files.size(home.resolve("data").resolve(key)));
    }
}
