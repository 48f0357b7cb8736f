package dev.soi.batch.testing;

import static java.util.Objects.requireNonNull;

import dev.soi.core.domain.StorageLayout;
import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.EventPublisher;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.sql.CountingQueryEngine;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.TableStatements;
import dev.soi.core.testing.FaultyObjectStore;
import dev.soi.core.testing.InMemorySubmissionQueue;
import dev.soi.core.testing.MutableClock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What every {@link BatchFixture} shares: the ports a run is built from, handed in once, and the accessors over
 * them. The engine is wrapped in a {@link CountingQueryEngine}, so every fixture counts the statements the run
 * issues the same way. A fixture on the clock-driven {@link InMemorySubmissionQueue} gets its dead letters and
 * queue depth from it; a fixture on another queue overrides {@link #deadLetters()} and {@link #messagesLeft()}.
 * A subclass supplies what only its engine can answer: the latest table, the catalog's partitions and staging
 * tables.
 */
public abstract class AbstractBatchFixture implements BatchFixture {
    /** The database every fixture's statements name. */
    public static final String DATABASE = "df_trusted_test";

    protected final SqlTemplates templates = new SqlTemplates();
    private final MutableClock clock;
    private final FaultyObjectStore store;
    private final SubmissionQueue queue;
    private final CountingQueryEngine engine;
    private final QueryEngine uncounted;
    private final EventPublisher events;
    private final Supplier<List<DomainEvent>> published;
    private final RunLease lease;
    private final TableStatements statements;

    /**
     * @param published what {@code events} has delivered so far, in order
     * @param locations how the statements name a key prefix's location (the store's own, or {@code s3://} URIs)
     */
    protected AbstractBatchFixture(MutableClock clock, ObjectStore store, SubmissionQueue queue, QueryEngine engine,
            EventPublisher events, Supplier<List<DomainEvent>> published, Function<ObjectStore, RunLease> leases,
            Function<String, String> locations) {
        this.clock = requireNonNull(clock, "clock is null");
        this.store = new FaultyObjectStore(requireNonNull(store, "store is null"));
        this.queue = requireNonNull(queue, "queue is null");
        this.engine = new CountingQueryEngine(engine);
        this.uncounted = engine;
        this.events = requireNonNull(events, "events is null");
        this.published = requireNonNull(published, "published is null");
        this.lease = requireNonNull(leases.apply(this.store), "lease is null");
        this.statements = new TableStatements(templates, DATABASE, locations);
    }

    @Override
    public final MutableClock clock() {
        return clock;
    }

    @Override
    public final ObjectStore store() {
        return store;
    }

    @Override
    public final FaultyObjectStore faultyStore() {
        return store;
    }

    @Override
    public final SubmissionQueue queue() {
        return queue;
    }

    @Override
    public final CountingQueryEngine engine() {
        return engine;
    }

    @Override
    public final EventPublisher events() {
        return events;
    }

    @Override
    public final RunLease lease() {
        return lease;
    }

    @Override
    public final TableStatements statements() {
        return statements;
    }

    @Override
    public final dev.soi.core.port.QueryResult queryUncounted(dev.soi.core.sql.Statement statement) {
        return uncounted.query(statement);
    }

    @Override
    public final List<String> templatesIssued() {
        return engine.templates();
    }

    @Override
    public final void clearStatements() {
        engine.reset();
    }

    @Override
    public final List<DomainEvent> publishedEvents() {
        return published.get();
    }

    @Override
    public List<InMemorySubmissionQueue.DeadLetter> deadLetters() {
        return inMemoryQueue().deadLetters();
    }

    @Override
    public int messagesLeft() {
        return inMemoryQueue().size();
    }

    /**
     * The latest table's rows read through {@code engine} (not counted), or none while {@code tables}, the
     * database's tables, do not hold the latest table yet.
     */
    protected final Set<LatestRow> latestRows(QueryEngine engine, Collection<String> tables) {
        if (!tables.contains(StorageLayout.LATEST_TABLE)) {
            return Set.of();
        }
        return engine.query(templates.render("testing/latest_rows", SqlTemplates.tokens("database", SqlToken.identifier(DATABASE))))
                .rows().stream()
                .map(r -> new LatestRow((String) r.get(0), (String) r.get(1), (Long) r.get(2), (String) r.get(3)))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The staging tables of the latest table among {@code tables}. */
    protected static Set<String> stagingTablesAmong(Collection<String> tables) {
        return tables.stream().filter(t -> t.startsWith(StorageLayout.LATEST_TABLE + "_stg_")).collect(Collectors.toSet());
    }

    private InMemorySubmissionQueue inMemoryQueue() {
        if (queue instanceof InMemorySubmissionQueue inMemory) {
            return inMemory;
        }
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " runs on " + queue.getClass().getSimpleName() + ": override deadLetters() and messagesLeft()");
    }
}
