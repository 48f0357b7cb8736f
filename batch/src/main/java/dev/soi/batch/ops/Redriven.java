package dev.soi.batch.ops;

import java.util.List;

/** What {@code dlq-redrive} did: the dead letters it saw, those it sent back, and the requested ids it did not find. */
public record Redriven(List<DeadLetter> seen, List<DeadLetter> sent, List<String> notFound) {
    public Redriven {
        seen = List.copyOf(seen);
        sent = List.copyOf(sent);
        notFound = List.copyOf(notFound);
    }
}
