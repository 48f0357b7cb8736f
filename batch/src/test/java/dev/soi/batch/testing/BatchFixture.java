package dev.soi.batch.testing;

import dev.soi.batch.BatchCommands;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.run.FaultInjector;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.RunIds;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.CatalogVersions;
import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.EventPublisher;
import dev.soi.core.port.InvocationDeadline;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.sql.TableStatements;
import dev.soi.core.testing.InMemorySubmissionQueue;
import dev.soi.core.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything a batch scenario runs against. The in-memory fixture is {@link InMemoryBatchFixture}; the one over
 * the embedded stand-ins (FileSystemObjectStore, ElasticMQ, DuckDB) is {@link EmbeddedBatchFixture}, and the
 * trino module adds one on Trino. Each extends {@link AbstractBatchFixture}, which holds the ports and their
 * accessors, and runs the same scenarios by subclassing {@code MaterializeScenarios}.
 *
 * <p>The clock drives the lease and, in memory, the queue's visibility timeouts, so a scenario moves past a
 * crashed run's lease without waiting. A queue on wall-clock time (ElasticMQ) needs a short
 * {@code visibilityTimeout} (override {@code MaterializeScenarios.properties()}) and an
 * {@link #awaitRedelivery()} that waits, with Awaitility, until the crashed run's messages are visible again.
 */
public interface BatchFixture extends AutoCloseable {
    MutableClock clock();

    ObjectStore store();

    /** The store every write of the run goes through, where a test arms lost answers. */
    dev.soi.core.testing.FaultyObjectStore faultyStore();

    SubmissionQueue queue();

    /** The engine the run uses; wrap the real one so {@link #templatesIssued()} can count. */
    QueryEngine engine();

    EventPublisher events();

    RunLease lease();

    TableStatements statements();

    /** Runs a query on the fixture's engine without counting it: for a test's own reads, which are not the run's. */
    dev.soi.core.port.QueryResult queryUncounted(dev.soi.core.sql.Statement statement);

    /** Template names of the statements issued since the last {@link #clearStatements()}, in order. */
    List<String> templatesIssued();

    void clearStatements();

    /** The rows of the latest table as a reader sees them now. */
    Set<LatestRow> latestTable();

    /** Partitions registered in the catalog. */
    Set<PitPartition> registeredPartitions();

    /** Staging tables left in the catalog. */
    Set<String> stagingTables();

    List<DomainEvent> publishedEvents();

    /** Bodies and reasons of dead-lettered messages. */
    List<InMemorySubmissionQueue.DeadLetter> deadLetters();

    /** Messages not yet deleted from the queue, visible or in flight. */
    int messagesLeft();

    /**
     * Loses the query engine's catalog, as a dropped Glue database or a deleted local {@code catalog.json} would:
     * the tables and their partitions are gone, the files in the store stay.
     */
    void loseCatalog();

    /**
     * The batch's commands over this fixture's ports, as the Lambda and the local stack run them, with run ids from the
     * fixture's clock and {@code ids}.
     */
    default BatchCommands commands(QueryEngine engine, SubmissionQueue queue, SubmissionMessages messages, Random ids,
                                   BatchProperties properties, FaultInjector faults) {
        return commands(store(), engine, queue, messages, ids, properties, faults, InvocationDeadline.NONE);
    }

    /** As the other, over {@code store} (this fixture's, or a wrapper of it), in an invocation that ends at {@code deadline}. */
    default BatchCommands commands(ObjectStore store, QueryEngine engine, SubmissionQueue queue, SubmissionMessages messages,
                                   Random ids, BatchProperties properties, FaultInjector faults, InvocationDeadline deadline) {
        return new BatchCommands(new BatchPorts(store, queue, engine, events(), lease(), statements(), messages, clock(),
                new RunIds(clock(), ids), properties, faults, CatalogVersions.NONE, deadline));
    }

    /** Every PIT row as the engine reads it now, one line per row with its partition, sorted: the table's row multiset. */
    default List<String> pitTable() {
        List<String> rows = new ArrayList<>();
        for (PitPartition partition : new TreeSet<>(registeredPartitions())) {
            engine().query(statements().partitionRows(partition)).rows().forEach(r -> rows.add(partition.path() + r));
        }
        rows.sort(null);
        return rows;
    }

    /** Returns once messages a crashed run held are visible again; the clock has already passed their timeout. */
    default void awaitRedelivery() {}

    @Override
    default void close() throws Exception {}
}
