package dev.soi.batch.run;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.RunId;
import dev.soi.core.message.SubmissionMessages;
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
 * What the batch job's steps run against: the ports, the statements, the settings, the seams a test drives (the
 * clock and the fault injector) and the invocation's deadline (a Lambda's remaining time less a margin), which every
 * long step checks before it starts a unit of work. One instance serves every execution; it holds no run state.
 */
public record BatchPorts(ObjectStore store, SubmissionQueue queue, QueryEngine engine, EventPublisher events,
                         RunLease lease, TableStatements statements, SubmissionMessages messages, Clock clock,
                         Supplier<RunId> runIds, BatchProperties properties, FaultInjector faults, InvocationDeadline deadline) {

    /** Ports with no deadline but each statement's own timeout: a process that is not a Lambda. */
    public BatchPorts(ObjectStore store, SubmissionQueue queue, QueryEngine engine, EventPublisher events, RunLease lease,
                      TableStatements statements, SubmissionMessages messages, Clock clock, Supplier<RunId> runIds,
                      BatchProperties properties, FaultInjector faults) {
        this(store, queue, engine, events, lease, statements, messages, clock, runIds, properties, faults, InvocationDeadline.NONE);
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
        requireNonNull(deadline, "invocation deadline");
    }

    /** A run id supplier from the clock and a secure random suffix. */
    public static Supplier<RunId> randomRunIds(Clock clock) {
        SecureRandom random = new SecureRandom();
        return () -> RunId.generate(clock.instant(), random);
    }

    public BatchPorts withFaults(FaultInjector newFaults) {
        return new BatchPorts(store, queue, engine, events, lease, statements, messages, clock, runIds, properties, newFaults, deadline);
    }

    public BatchPorts withProperties(BatchProperties newProperties) {
        return new BatchPorts(store, queue, engine, events, lease, statements, messages, clock, runIds, newProperties, faults, deadline);
    }

    public BatchPorts withDeadline(InvocationDeadline newDeadline) {
        return new BatchPorts(store, queue, engine, events, lease, statements, messages, clock, runIds, properties, faults, newDeadline);
    }
}
