package dev.soi.batch.testing;

import dev.soi.core.domain.PitPartition;
import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.testing.InMemoryCatalogVersions;
import dev.soi.core.testing.InMemoryObjectStore;
import dev.soi.core.testing.InMemoryQueryEngine;
import dev.soi.core.testing.InMemorySubmissionQueue;
import dev.soi.core.testing.MutableClock;
import dev.soi.core.testing.RecordingPublisher;
import dev.soi.parquet.PitParquetReader;
import dev.soi.parquet.PitParquetWriter;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;

/** The scenarios over in-memory fakes. Each instance is independent (no static state). */
public final class InMemoryBatchFixture extends AbstractBatchFixture {
    private final InMemoryQueryEngine fake;

    public InMemoryBatchFixture(Instant start) {
        this(new MutableClock(start));
    }

    private InMemoryBatchFixture(MutableClock clock) {
        this(clock, new InMemoryObjectStore(clock), new RecordingPublisher());
    }

    private InMemoryBatchFixture(MutableClock clock, InMemoryObjectStore store, RecordingPublisher events) {
        this(clock, store, new InMemoryQueryEngine(store, PitParquetReader::read, (upload, key, rows) -> {
            try (PitParquetWriter writer = PitParquetWriter.open(upload, key, PitParquetWriter.DEFAULT_ROW_GROUP_BYTES)) {
                rows.forEach(writer::write);
                writer.commit();
            }
        }), events);
    }

    private InMemoryBatchFixture(MutableClock clock, InMemoryObjectStore store, InMemoryQueryEngine fake, RecordingPublisher events) {
        super(clock, store, new InMemorySubmissionQueue(clock), fake, events, events::events, s -> new ObjectStoreRunLease(s, clock),
                store::location);
        this.fake = fake;
    }

    @Override
    public Set<LatestRow> latestTable() {
        return fake.latestTable().stream().map(r -> new LatestRow(r.businessUnit().code(), r.packageName().value(), r.referenceId(),
                r.submissionId().toString())).collect(Collectors.toSet());
    }

    @Override
    public Set<PitPartition> registeredPartitions() {
        return fake.registeredPartitions();
    }

    @Override
    public Set<String> stagingTables() {
        return fake.stagingTables();
    }

    /** The catalog's archived table versions, as Glue would keep them for the statements the engine ran. */
    public InMemoryCatalogVersions catalogVersions() {
        return fake.catalogVersions();
    }

    @Override
    public void loseCatalog() {
        fake.loseCatalog();
    }
}
