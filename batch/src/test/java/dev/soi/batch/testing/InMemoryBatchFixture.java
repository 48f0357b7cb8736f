package dev.soi.batch.testing;

import dev.soi.core.domain.PitPartition;
import dev.soi.core.testing.InMemoryObjectStore;
import dev.soi.core.testing.InMemoryRunLease;
import dev.soi.core.testing.InMemorySubmissionQueue;
import dev.soi.core.testing.MutableClock;
import dev.soi.core.testing.RecordingPublisher;
import java.time.Instant;
import java.util.Set;

/** The scenarios over in-memory fakes. Each instance is independent (no static state). */
public final class InMemoryBatchFixture extends AbstractBatchFixture {
    private final FakeQueryEngine fake;

    public InMemoryBatchFixture(Instant start) {
        this(new MutableClock(start));
    }

    private InMemoryBatchFixture(MutableClock clock) {
        this(clock, new InMemoryObjectStore(clock), new RecordingPublisher());
    }

    private InMemoryBatchFixture(MutableClock clock, InMemoryObjectStore store, RecordingPublisher events) {
        this(clock, store, new FakeQueryEngine(store), events);
    }

    private InMemoryBatchFixture(MutableClock clock, InMemoryObjectStore store, FakeQueryEngine fake, RecordingPublisher events) {
        super(clock, store, new InMemorySubmissionQueue(clock), fake, events, events::events, new InMemoryRunLease(store, clock),
                store::location);
        this.fake = fake;
    }

    @Override
    public Set<LatestRow> latestTable() {
        return fake.latestTable();
    }

    @Override
    public Set<PitPartition> registeredPartitions() {
        return fake.registeredPartitions();
    }

    @Override
    public Set<String> stagingTables() {
        return fake.stagingTables();
    }

    @Override
    public void loseCatalog() {
        fake.loseCatalog();
    }
}
