package dev.soi.trino;

import static dev.soi.core.sql.SqlTemplates.tokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.PitRow;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.Statement;
import dev.soi.core.sql.TableStatements;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.parquet.PitParquetWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readers on another connection query the latest table without pause while it is swapped 20 times between two versions
 * whose every row differs: each answer is wholly one version (never one unit of each, never a missing table), and no
 * query fails. Both versions are built as the batch builds them (one CTAS per unit, a candidate, the swap); the swaps
 * alternate between them, so the test costs two builds, not twenty.
 */
@EnabledIf(value = "dev.soi.trino.SharedTrino#available", disabledReason = "no Trino here: -DskipTrino, or no Java 22+ runtime")
class LatestReaderGapTest {
    private static final String DATABASE = "df_trusted_gap";
    private static final String BUCKET = "s3://soi-gap-bucket/";
    private static final List<BusinessUnit> UNITS = List.of(BusinessUnit.of("AE"), BusinessUnit.of("CMF"));
    private static final int SWAPS = 20;
    private static final int QUERIES = 200;

    @TempDir
    Path home;

    @Test
    void readersSeeOneWholeVersionAtEveryMomentOfTwentySwaps() throws Exception {
        Map<String, String> folders = Map.of(BUCKET, home.resolve("data").toAbsolutePath() + "/");
        QueryEngine engine = SharedTrino.engine(DATABASE, folders);
        TableStatements statements = new TableStatements(new SqlTemplates(), DATABASE, key -> BUCKET + key);
        engine.execute(statements.createDatabase());
        engine.execute(statements.createPitTable());
        engine.execute(statements.createLatestTable(StorageLayout.latestVersionPrefix(StorageLayout.LATEST_EMPTY_VERSION), UNITS));
        // Version "a" holds reference id 1 in every unit, version "b" id 2: an answer mixing the two is a mixed read.
        build(engine, statements, "a", 1, Instant.parse("2026-11-23T10:00:00Z"));
        build(engine, statements, "b", 2, Instant.parse("2026-11-23T11:00:00Z"));
        engine.execute(statements.swapLatest(StorageLayout.latestVersionPrefix("a"), UNITS));

        Statement everyRow = new SqlTemplates().render("testing/latest_rows", tokens("database", SqlToken.identifier(DATABASE)));
        QueryEngine reader = SharedTrino.reader(folders);
        AtomicBoolean swapping = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ExecutorService readers = Executors.newFixedThreadPool(2);
        List<Future<?>> running = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            running.add(readers.submit(() -> {
                while (swapping.get() || answered.get() < QUERIES) {
                    try {
                        List<List<Object>> rows = reader.query(everyRow).rows();
                        Set<Long> ids = new TreeSet<>();
                        Set<String> units = new TreeSet<>();
                        rows.forEach(row -> {
                            units.add((String) row.get(0));
                            ids.add((Long) row.get(2));
                        });
                        if (rows.size() != 2 || ids.size() != 1 || !units.equals(Set.of("AE", "CMF"))) {
                            wrong.add(rows.toString());
                        } else {
                            seen.addAll(ids);
                        }
                    } catch (RuntimeException e) {
                        wrong.add("failed: " + e.getMessage());
                    }
                    answered.incrementAndGet();
                }
            }));
        }
        try {
            for (int swap = 1; swap <= SWAPS; swap++) {
                int before = answered.get();
                engine.execute(statements.swapLatest(StorageLayout.latestVersionPrefix(swap % 2 == 1 ? "b" : "a"), UNITS));
                // Let the readers answer a few times over each version before the next swap.
                await().atMost(Duration.ofMinutes(2)).until(() -> answered.get() >= before + QUERIES / SWAPS);
            }
        } finally {
            swapping.set(false);
            for (Future<?> reading : running) {
                reading.get();
            }
            readers.shutdown();
        }

        assertThat(answered.get()).isGreaterThanOrEqualTo(QUERIES);
        assertThat(wrong).as("answers that were not one whole version, or failed").isEmpty();
        assertThat(seen).as("both versions were read").containsExactlyInAnyOrder(1L, 2L);
    }

    /** Version {@code name}: one package per unit holding only {@code referenceId}, built as the batch builds it. */
    private void build(QueryEngine engine, TableStatements statements, String name, long referenceId, Instant at) {
        FileSystemObjectStore store = new FileSystemObjectStore(home.resolve("data"));
        RunId run = RunId.generate(at, new SplittableRandom(referenceId));
        List<PitPartition> partitions = new ArrayList<>();
        for (BusinessUnit unit : UNITS) {
            PitPartition partition = new PitPartition(unit, at.atOffset(ZoneOffset.UTC).toLocalDate());
            String key = StorageLayout.pitFileKey(partition, run, 0);
            PitRow row = new PitRow(referenceId, PackageName.of("job_1"), at, SubmissionId.generate(at, new SplittableRandom(referenceId)),
                    "alice", run.value(), unit, partition.requestDate());
            try (PitParquetWriter writer = PitParquetWriter.open(store.startUpload(key), key, PitParquetWriter.DEFAULT_ROW_GROUP_BYTES)) {
                writer.write(row);
                writer.commit();
            }
            partitions.add(partition);
        }
        statements.addPartitions(partitions).forEach(engine::execute);
        for (BusinessUnit unit : UNITS) {
            String staging = "security_of_interest_latest_stg_" + name + "_" + unit.code().toLowerCase();
            engine.execute(statements.createLatestUnit(staging, LatestLayout.latestUnitPrefix(name, unit), statements.latestUnitFromPit(unit)));
            engine.execute(statements.dropStaging(staging));
        }
    }
}
