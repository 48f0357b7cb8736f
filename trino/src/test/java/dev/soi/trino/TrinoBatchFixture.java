package dev.soi.trino;

import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.LatestRow;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.RunLease;
import dev.soi.core.sql.CountingQueryEngine;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.TableStatements;
import dev.soi.core.testing.InMemorySubmissionQueue;
import dev.soi.core.testing.MutableClock;
import dev.soi.core.testing.RecordingPublisher;
import dev.soi.embedded.FileSystemObjectStore;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The batch scenarios with Trino as the query engine: every statement the run issues is rendered for Athena,
 * with {@code s3://} locations, and runs on Trino as {@link AthenaToTrino} maps it. The bucket is a folder
 * (the same keys the S3 adapter writes); the queue is the clock-driven in-memory one, so a crashed run's
 * messages come back without waiting (ElasticMQ's own behaviour is covered by the local-adapter scenarios).
 */
final class TrinoBatchFixture implements BatchFixture {
    static final String DATABASE = "df_trusted_test";
    private static final String BUCKET = "s3://soi-scenario-bucket/data/";

    private final MutableClock clock;
    private final FileSystemObjectStore store;
    private final InMemorySubmissionQueue queue;
    private final TrinoQueryEngine trino;
    private final CountingQueryEngine engine;
    private final RecordingPublisher events = new RecordingPublisher();
    private final RunLease lease;
    private final TableStatements statements;
    private final SqlTemplates templates = new SqlTemplates();

    TrinoBatchFixture(Path home, Instant start) {
        this.clock = new MutableClock(start);
        this.store = new FileSystemObjectStore(home.resolve("data"));
        this.queue = new InMemorySubmissionQueue(clock);
        this.trino = SharedTrino.engine(DATABASE, Map.of(BUCKET, home.resolve("data").toAbsolutePath() + "/"));
        this.engine = new CountingQueryEngine(trino);
        this.lease = new ObjectStoreRunLease(store, clock);
        this.statements = new TableStatements(templates, DATABASE, key -> BUCKET + key);
    }

    @Override
    public MutableClock clock() {
        return clock;
    }

    @Override
    public FileSystemObjectStore store() {
        return store;
    }

    @Override
    public InMemorySubmissionQueue queue() {
        return queue;
    }

    @Override
    public QueryEngine engine() {
        return engine;
    }

    @Override
    public RecordingPublisher events() {
        return events;
    }

    @Override
    public RunLease lease() {
        return lease;
    }

    @Override
    public TableStatements statements() {
        return statements;
    }

    @Override
    public List<String> templatesIssued() {
        return engine.templates();
    }

    @Override
    public void clearStatements() {
        engine.reset();
    }

    @Override
    public Set<LatestRow> latestTable() {
        if (!trino.tables(DATABASE).contains(StorageLayout.LATEST_TABLE)) {
            return Set.of();
        }
        return trino.query(templates.render("testing/latest_rows", SqlTemplates.tokens("database", SqlToken.identifier(DATABASE))))
                .rows().stream()
                .map(r -> new LatestRow((String) r.get(0), (String) r.get(1), (Long) r.get(2), (String) r.get(3)))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public Set<PitPartition> registeredPartitions() {
        return trino.registeredPartitions(DATABASE).stream()
                .map(p -> new PitPartition(BusinessUnit.of(p.get(0)), LocalDate.parse(p.get(1))))
                .collect(Collectors.toSet());
    }

    @Override
    public Set<String> stagingTables() {
        return trino.tables(DATABASE).stream().filter(t -> t.startsWith(StorageLayout.LATEST_TABLE + "_stg_")).collect(Collectors.toSet());
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
