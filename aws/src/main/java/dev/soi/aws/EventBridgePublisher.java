package dev.soi.aws;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.EventPublishException;
import dev.soi.core.port.EventPublisher;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * {@link EventPublisher} on EventBridge. PutEvents reports failures per entry inside a successful
 * response ({@code FailedEntryCount}), so the entry is checked: a throttled or internal failure is sent
 * again (bounded), anything else throws {@link EventPublishException} with EventBridge's code and message.
 * Thread-safe.
 */
public final class EventBridgePublisher implements EventPublisher {
    private final EventBridgeClient client;
    private final String eventBus;
    private final int retries;
    private final Duration backoff;

    public EventBridgePublisher(EventBridgeClient client, String eventBus) {
        this(client, eventBus, 3, Duration.ofMillis(200));
    }

    public EventBridgePublisher(EventBridgeClient client, String eventBus, int retries, Duration backoff) {
        this.client = requireNonNull(client, "eventbridge client");
        this.eventBus = requireNonNull(eventBus, "event bus");
        this.retries = retries;
        this.backoff = requireNonNull(backoff, "backoff");
    }

    @Override
    public void publish(DomainEvent event) {
        requireNonNull(event, "event");
        PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
                .eventBusName(eventBus).source(event.source()).detailType(event.detailType()).detail(event.detailJson()).build();
        long wait = backoff.toMillis();
        for (int attempt = 0; ; attempt++) {
            PutEventsResponse response;
            try {
                response = client.putEvents(b -> b.entries(entry));
            } catch (SdkException e) {
                throw new EventPublishException("PutEvents to bus " + eventBus + " failed: " + e.getMessage(), e);
            }
            if (response.failedEntryCount() == null || response.failedEntryCount() == 0) {
                return;
            }
            PutEventsResultEntry result = response.entries().get(0);
            boolean transientFailure = "ThrottlingException".equals(result.errorCode()) || "InternalFailure".equals(result.errorCode());
            if (!transientFailure || attempt >= retries) {
                throw new EventPublishException("EventBridge refused event " + event.detailType() + " on bus " + eventBus + ": "
                        + result.errorCode() + " " + result.errorMessage() + (transientFailure ? " after " + attempt + " retries" : ""));
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EventPublishException("interrupted while retrying PutEvents", e);
            }
            wait *= 2;
        }
    }
}
