package dev.soi.batch.testing;

import dev.soi.core.testing.InMemorySubmissionQueue;
import static org.awaitility.Awaitility.await;

import dev.soi.aws.SqsQueueProperties;
import dev.soi.aws.SqsSubmissionQueue;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.RunLease;
import dev.soi.core.sql.CountingQueryEngine;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.TableStatements;
import dev.soi.core.testing.MutableClock;
import dev.soi.embedded.DuckDbQueryEngine;
import dev.soi.embedded.ElasticMqServer;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.embedded.RecordingEventPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The batch scenarios over the real local stack: a directory as the bucket, ElasticMQ (the SQS adapter used
 * in AWS), DuckDB over the files, the lease over the directory. ElasticMQ times visibility on the wall clock,
 * so {@link #awaitRedelivery()} waits for it.
 */
public final class EmbeddedBatchFixture implements BatchFixture {
    private final MutableClock clock;
    private final FileSystemObjectStore store;
    private final ElasticMqServer server;
    private final SqsSubmissionQueue queue;
    private final SqsSubmissionQueue deadLetterQueue;
    private final DuckDbQueryEngine duckDb;
    private final CountingQueryEngine engine;
    private final RecordingEventPublisher events = new RecordingEventPublisher();
    private final RunLease lease;
    private final TableStatements statements;
    private final SqlTemplates templates = new SqlTemplates();
    private final List<DeadLetterRecord> deadLetters = new ArrayList<>();

    private record DeadLetterRecord(InMemorySubmissionQueue.DeadLetter letter) {}

    public EmbeddedBatchFixture(Path home, Instant start) {
        this.clock = new MutableClock(start);
        this.store = new FileSystemObjectStore(home.resolve("data"));
        this.server = ElasticMqServer.start(ElasticMqServer.Options.inMemory().withQueues("scenario", "scenario-dlq"));
        this.queue = new SqsSubmissionQueue(server.client(), server.queueUrl(), server.dlqUrl(), SqsQueueProperties.defaults());
        this.deadLetterQueue = new SqsSubmissionQueue(server.client(), server.dlqUrl(), server.dlqUrl(), SqsQueueProperties.defaults());
        this.duckDb = new DuckDbQueryEngine(home.resolve("catalog"));
        this.engine = new CountingQueryEngine(duckDb);
        this.lease = new ObjectStoreRunLease(store, clock);
        this.statements = new TableStatements(templates, "df_trusted_test", store::location);
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
    public SqsSubmissionQueue queue() {
        return queue;
    }

    @Override
    public QueryEngine engine() {
        return engine;
    }

    @Override
    public RecordingEventPublisher events() {
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
        if (!duckDb.tables().contains(StorageLayout.LATEST_TABLE)) {
            return Set.of();
        }
        return duckDb.query(templates.render("testing/latest_rows", SqlTemplates.tokens("database", SqlToken.identifier(statements.database()))))
                .rows().stream()
                .map(r -> new LatestRow((String) r.get(0), (String) r.get(1), (Long) r.get(2), (String) r.get(3)))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public Set<PitPartition> registeredPartitions() {
        return new HashSet<>(duckDb.registeredPartitions());
    }

    @Override
    public Set<String> stagingTables() {
        return duckDb.tables().stream().filter(t -> t.startsWith(StorageLayout.LATEST_TABLE + "_stg_")).collect(Collectors.toSet());
    }

    @Override
    public List<DomainEvent> publishedEvents() {
        return events.events();
    }

    @Override
    public synchronized List<InMemorySubmissionQueue.DeadLetter> deadLetters() {
        List<ReceivedMessage> received;
        do {
            received = deadLetterQueue.receive(10, Duration.ofMinutes(5), Duration.ZERO);
            for (ReceivedMessage message : received) {
                Map<String, String> attributes = message.attributes();
                deadLetters.add(new DeadLetterRecord(new InMemorySubmissionQueue.DeadLetter(message.body(), attributes,
                        attributes.get(SqsSubmissionQueue.DLQ_REASON_ATTRIBUTE))));
            }
            deadLetterQueue.delete(received);
        } while (!received.isEmpty());
        return deadLetters.stream().map(DeadLetterRecord::letter).toList();
    }

    @Override
    public int messagesLeft() {
        Map<QueueAttributeName, String> attributes = server.client().getQueueAttributes(b -> b.queueUrl(server.queueUrl())
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Override
    public void awaitRedelivery() {
        await().atMost(Duration.ofSeconds(30)).until(() -> "0".equals(server.client().getQueueAttributes(b -> b
                .queueUrl(server.queueUrl()).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes().get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)));
    }

    @Override
    public void close() {
        server.close();
    }
}
