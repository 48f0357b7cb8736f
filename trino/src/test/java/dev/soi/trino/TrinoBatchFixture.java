package dev.soi.trino;

import dev.soi.batch.testing.AbstractBatchFixture;
import dev.soi.batch.testing.LatestRow;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.testing.InMemorySubmissionQueue;
import dev.soi.core.testing.MutableClock;
import dev.soi.core.testing.RecordingPublisher;
import dev.soi.embedded.FileSystemObjectStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The batch scenarios with Trino as the query engine: every statement the run issues is rendered for Athena,
 * with {@code s3://} locations, and runs on Trino as {@link AthenaToTrino} maps it. The bucket is a folder
 * (the same keys the S3 adapter writes); the queue is the clock-driven in-memory one, so a crashed run's
 * messages come back without waiting (ElasticMQ's own behaviour is covered by the embedded scenarios).
 */
final class TrinoBatchFixture extends AbstractBatchFixture {
    private static final String BUCKET = "s3://soi-scenario-bucket/data/";

    private final TrinoQueryEngine trino;

    TrinoBatchFixture(Path home, Instant start) {
        this(home, new MutableClock(start), new FileSystemObjectStore(home.resolve("data")), new RecordingPublisher());
    }

    private TrinoBatchFixture(Path home, MutableClock clock, FileSystemObjectStore store, RecordingPublisher events) {
        this(clock, store, SharedTrino.engine(DATABASE, Map.of(BUCKET, home.resolve("data").toAbsolutePath() + "/")), events);
    }

    private TrinoBatchFixture(MutableClock clock, FileSystemObjectStore store, TrinoQueryEngine trino, RecordingPublisher events) {
        super(clock, store, new InMemorySubmissionQueue(clock), trino, events, events::events, s -> new ObjectStoreRunLease(s, clock),
                key -> BUCKET + key);
        this.trino = trino;
    }

    @Override
    public Set<LatestRow> latestTable() {
        return latestRows(trino, trino.tables(DATABASE));
    }

    @Override
    public Set<PitPartition> registeredPartitions() {
        return trino.registeredPartitions(DATABASE).stream()
                .map(p -> new PitPartition(BusinessUnit.of(p.get(0)), LocalDate.parse(p.get(1))))
                .collect(Collectors.toSet());
    }

    @Override
    public Set<String> stagingTables() {
        return stagingTablesAmong(trino.tables(DATABASE));
    }

    @Override
    public void loseCatalog() {
        trino.dropSchema(DATABASE);
    }
}
