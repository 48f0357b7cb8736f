package dev.soi.batch.testing;

import static org.awaitility.Awaitility.await;

import dev.soi.aws.SqsQueueProperties;
import dev.soi.aws.SqsSubmissionQueue;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.testing.InMemorySubmissionQueue;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The batch scenarios over the embedded stand-ins: a directory as the bucket, ElasticMQ (the SQS adapter used
 * in AWS), DuckDB over the files, the lease over the directory. ElasticMQ times visibility on the wall clock,
 * so {@link #awaitRedelivery()} waits for it.
 */
public final class EmbeddedBatchFixture extends AbstractBatchFixture {
    private final ElasticMqServer server;
    private final SqsSubmissionQueue deadLetterQueue;
    private final DuckDbQueryEngine duckDb;
    private final Path catalogFolder;
    private final List<InMemorySubmissionQueue.DeadLetter> deadLetters = new ArrayList<>();

    public EmbeddedBatchFixture(Path home, Instant start) {
        this(home, new MutableClock(start), new FileSystemObjectStore(home.resolve("data")),
                ElasticMqServer.start(ElasticMqServer.Options.inMemory().withQueues("scenario", "scenario-dlq")),
                new RecordingEventPublisher());
    }

    private EmbeddedBatchFixture(Path home, MutableClock clock, FileSystemObjectStore store, ElasticMqServer server,
            RecordingEventPublisher events) {
        this(clock, store, server, home.resolve("catalog"), events);
    }

    private EmbeddedBatchFixture(MutableClock clock, FileSystemObjectStore store, ElasticMqServer server, Path catalogFolder,
            RecordingEventPublisher events) {
        this(clock, store, server, new DuckDbQueryEngine(catalogFolder), catalogFolder, events);
    }

    private EmbeddedBatchFixture(MutableClock clock, FileSystemObjectStore store, ElasticMqServer server, DuckDbQueryEngine duckDb,
            Path catalogFolder, RecordingEventPublisher events) {
        super(clock, store, new SqsSubmissionQueue(server.client(), server.queueUrl(), server.dlqUrl(), SqsQueueProperties.defaults()),
                duckDb, events, events::events, s -> new ObjectStoreRunLease(s, clock), store::location);
        this.server = server;
        this.deadLetterQueue = new SqsSubmissionQueue(server.client(), server.dlqUrl(), server.dlqUrl(), SqsQueueProperties.defaults());
        this.duckDb = duckDb;
        this.catalogFolder = catalogFolder;
    }

    @Override
    public Set<LatestRow> latestTable() {
        return latestRows(duckDb, duckDb.tables());
    }

    @Override
    public Set<PitPartition> registeredPartitions() {
        return new HashSet<>(duckDb.registeredPartitions());
    }

    @Override
    public Set<String> stagingTables() {
        return stagingTablesAmong(duckDb.tables());
    }

    /** Drains the dead-letter queue into what this fixture has seen so far, so repeated calls see every letter. */
    @Override
    public synchronized List<InMemorySubmissionQueue.DeadLetter> deadLetters() {
        List<ReceivedMessage> received;
        do {
            received = deadLetterQueue.receive(10, Duration.ofMinutes(5), Duration.ZERO);
            for (ReceivedMessage message : received) {
                Map<String, String> attributes = message.attributes();
                deadLetters.add(new InMemorySubmissionQueue.DeadLetter(message.body(), attributes,
                        attributes.get(SubmissionQueue.DLQ_REASON_ATTRIBUTE)));
            }
            deadLetterQueue.delete(received);
        } while (!received.isEmpty());
        return List.copyOf(deadLetters);
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
    public void loseCatalog() {
        try {
            java.nio.file.Files.delete(catalogFolder.resolve("catalog.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
