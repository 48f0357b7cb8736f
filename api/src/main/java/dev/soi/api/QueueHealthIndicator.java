package dev.soi.api;

import dev.soi.core.port.SubmissionQueue;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Ready only while the queue answers: a 202 promises the message is on it. Part of the readiness group. */
public final class QueueHealthIndicator implements HealthIndicator {
    private final SubmissionQueue queue;

    public QueueHealthIndicator(SubmissionQueue queue) {
        this.queue = queue;
    }

    @Override
    public Health health() {
        try {
            return Health.up().withDetail("approximate_depth", queue.approximateDepth()).build();
        } catch (RuntimeException e) {
            return Health.down().withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }
}
