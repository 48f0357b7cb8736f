package dev.soi.batch.testing;

import dev.soi.core.domain.PitPartition;
import dev.soi.core.port.DomainEvent;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.Statement;
import dev.soi.core.sql.TableStatements;
import dev.soi.core.testing.InMemoryObjectStore;
import dev.soi.core.testing.InMemoryRunLease;
import dev.soi.core.testing.InMemorySubmissionQueue;
import dev.soi.core.testing.MutableClock;
import dev.soi.core.testing.RecordingPublisher;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** The scenarios over in-memory fakes. Each instance is independent (no static state). */
public final class InMemoryBatchFixture implements BatchFixture {
    private final MutableClock clock;
    private final InMemoryObjectStore store;
    private final InMemorySubmissionQueue queue;
    private final FakeQueryEngine engine;
    private final RecordingPublisher events = new RecordingPublisher();
    private final InMemoryRunLease lease;
    private final TableStatements statements;

    public InMemoryBatchFixture(Instant start) {
        this.clock = new MutableClock(start);
        this.store = new InMemoryObjectStore(clock);
        this.queue = new InMemorySubmissionQueue(clock);
        this.engine = new FakeQueryEngine(store);
        this.lease = new InMemoryRunLease(store, clock);
        this.statements = new TableStatements(new SqlTemplates(), "df_trusted_test", store::location);
    }

    @Override
    public MutableClock clock() {
        return clock;
    }

    @Override
    public InMemoryObjectStore store() {
        return store;
    }

    @Override
    public InMemorySubmissionQueue queue() {
        return queue;
    }

    @Override
    public FakeQueryEngine engine() {
        return engine;
    }

    @Override
    public RecordingPublisher events() {
        return events;
    }

    @Override
    public InMemoryRunLease lease() {
        return lease;
    }

    @Override
    public TableStatements statements() {
        return statements;
    }

    @Override
    public List<String> templatesIssued() {
        return engine.statements().stream().map(Statement::template).toList();
    }

    @Override
    public void clearStatements() {
        engine.clearStatements();
    }

    @Override
    public Set<LatestRow> latestTable() {
        return engine.latestTable();
    }

    @Override
    public Set<PitPartition> registeredPartitions() {
        return engine.registeredPartitions();
    }

    @Override
    public Set<String> stagingTables() {
        return engine.stagingTables();
    }

    @Override
    public List<DomainEvent> publishedEvents() {
        return events.events();
    }

    @Override
    public List<InMemorySubmissionQueue.DeadLetter> deadLetters() {
        return queue.deadLetters();
    }

    @Override
    public int messagesLeft() {
        return queue.size();
    }
}
