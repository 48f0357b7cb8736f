package dev.soi.batch.run;

import static dev.soi.core.domain.Checks.requireNonNull;

/**
 * What a live run holds that others wait for: the run lease, the messages it received and has not deleted, and the
 * heartbeat that keeps both alive. Built per execution; the lease step takes the lease and starts the heartbeat, the
 * job's listener stops it and gives back what is left.
 */
public record Claims(HeldLease lease, HeldMessages messages, Heartbeat heartbeat) {
    public Claims {
        requireNonNull(lease, "lease");
        requireNonNull(messages, "held messages");
        requireNonNull(heartbeat, "heartbeat");
    }

    /** The claims of {@code run}, none of them taken yet. */
    public static Claims of(BatchPorts ports, RunContext run) {
        HeldLease lease = new HeldLease(ports.lease(), run.runId().value(), ports.properties().leaseTtl());
        HeldMessages messages = new HeldMessages();
        return new Claims(lease, messages, new Heartbeat(ports, run, lease, messages));
    }
}
