package dev.soi.batch.ops;

import java.util.List;

/**
 * What {@code dlq-redrive} did: the dead letters it saw, those it sent back, the requested ids it did not find (none
 * when it stopped early: they may be among those it did not reach), and whether it stopped at the invocation's deadline.
 */
public record Redriven(List<DeadLetter> seen, List<DeadLetter> sent, List<String> notFound, boolean stoppedAtDeadline) {
    public Redriven {
        seen = List.copyOf(seen);
        sent = List.copyOf(sent);
        notFound = List.copyOf(notFound);
    }
}
