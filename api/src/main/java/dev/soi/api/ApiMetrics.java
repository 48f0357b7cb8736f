package dev.soi.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The API's counters: {@code soi.api.submissions.accepted}, {@code soi.api.reference_ids.accepted}
 * (distinct ids, after duplicates collapsed) and {@code soi.api.rejects} tagged with {@code reason}
 * (a problem type such as {@code invalid_body} or {@code forbidden_business_unit}). Replays of an
 * idempotent request are counted as {@code soi.api.submissions.replayed}, not as accepted.
 */
public final class ApiMetrics {
    private final MeterRegistry registry;
    private final Counter accepted;
    private final Counter referenceIds;
    private final Counter replayed;

    public ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.accepted = Counter.builder("soi.api.submissions.accepted").description("Submissions enqueued").register(registry);
        this.referenceIds = Counter.builder("soi.api.reference_ids.accepted").description("Distinct reference ids in enqueued submissions").register(registry);
        this.replayed = Counter.builder("soi.api.submissions.replayed").description("Idempotent replays answered from the key store").register(registry);
    }

    public void accepted(long distinctIds) {
        accepted.increment();
        referenceIds.increment(distinctIds);
    }

    public void replayed() {
        replayed.increment();
    }

    public void rejected(String reason) {
        Counter.builder("soi.api.rejects").description("Requests answered with a problem").tag("reason", reason)
                .register(registry).increment();
    }
}
