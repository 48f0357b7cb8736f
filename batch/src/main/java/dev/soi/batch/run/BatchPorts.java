package dev.soi.batch.run;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.RunId;
import dev.soi.core.domain.RunIds;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.CatalogVersions;
import dev.soi.core.port.EventPublisher;
import dev.soi.core.port.InvocationDeadline;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.sql.TableStatements;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What the batch job's steps run against: the ports, the statements, the settings and the two seams a test
 * drives (the clock and the fault injector). One instance serves every execution; it holds no run state.
 *
 * @param catalogVersions the catalog's archived table versions, pruned after each swap of the latest table
 * @param deadline        when the current invocation must end (a Lambda's remaining time less a margin): long steps start a
 *                        unit of work only if there is time for it
 */
public record BatchPorts(ObjectStore store, SubmissionQueue queue, QueryEngine engine, EventPublisher events,
                         RunLease lease, TableStatements statements, SubmissionMessages messages, Clock clock,
                         Supplier<RunId> runIds, BatchProperties properties, FaultInjector faults,
                         CatalogVersions catalogVersions, InvocationDeadline deadline) {

    /** Ports over a catalog that keeps no table versions, with no deadline (a process that runs until done). */
    public BatchPorts(ObjectStore store, SubmissionQueue queue, QueryEngine engine, EventPublisher events,
                      RunLease lease, TableStatements statements, SubmissionMessages messages, Clock clock,
                      Supplier<RunId> runIds, BatchProperties properties, FaultInjector faults) {
        this(store, queue, engine, events, lease, statements, messages, clock, runIds, properties, faults, CatalogVersions.NONE,
                InvocationDeadline.NONE);
    }

    public BatchPorts {
        requireNonNull(store, "object store");
        requireNonNull(queue, "queue");
        requireNonNull(engine, "query engine");
        requireNonNull(events, "event publisher");
        requireNonNull(lease, "run lease");
        requireNonNull(statements, "table statements");
        requireNonNull(messages, "submission messages");
        requireNonNull(clock, "clock");
        requireNonNull(runIds, "run id supplier");
        requireNonNull(properties, "batch properties");
        requireNonNull(faults, "fault injector");
        requireNonNull(catalogVersions, "catalog versions");
        requireNonNull(deadline, "invocation deadline");
    }

    /** A run id supplier from the clock and a secure random suffix, each id sorting after the one before. */
    public static Supplier<RunId> randomRunIds(Clock clock) {
        return new RunIds(clock, new SecureRandom());
    }

    public BatchPorts withFaults(FaultInjector newFaults) {
        return new BatchPorts(store, queue, engine, events, lease, statements, messages, clock, runIds, properties, newFaults,
                catalogVersions, deadline);
    }

    public BatchPorts withProperties(BatchProperties newProperties) {
        return new BatchPorts(store, queue, engine, events, lease, statements, messages, clock, runIds, newProperties, faults,
                catalogVersions, deadline);
    }

    public BatchPorts withCatalogVersions(CatalogVersions newCatalogVersions) {
        return new BatchPorts(store, queue, engine, events, lease, statements, messages, clock, runIds, properties, faults,
                newCatalogVersions, deadline);
    }

    public BatchPorts withDeadline(InvocationDeadline newDeadline) {
        return new BatchPorts(store, queue, engine, events, lease, statements, messages, clock, runIds, properties, faults,
                catalogVersions, newDeadline);
    }
}
