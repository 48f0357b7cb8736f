package dev.soi.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link EventPublisher} promises: an accepted event reaches the bus once, unchanged, in the
 * order published; a null event is refused before anything is sent. Subclasses give a fresh publisher and
 * a view of what the bus received.
 */
public abstract class EventPublisherContract {

    /** A publisher on a bus that accepts everything; fresh for each test. */
    protected abstract EventPublisher publisher();

    /** What the bus has received so far, in order. */
    protected abstract List<DomainEvent> delivered();

    @Test
    void deliversEachEventOnceUnchangedInOrder() {
        EventPublisher publisher = publisher();
        DomainEvent first = new DomainEvent("soi.api", "SubmissionAccepted", "{\"id\":\"a\"}");
        DomainEvent second = new DomainEvent("soi.batch", "LatestTableSwapped", "{\"runId\":\"r-1\",\"note\":\"it's\"}");

        publisher.publish(first);
        publisher.publish(second);

        assertThat(delivered()).containsExactly(first, second);
    }

    @Test
    void refusesNullBeforeSending() {
        EventPublisher publisher = publisher();

        assertThatThrownBy(() -> publisher.publish(null)).isInstanceOf(RuntimeException.class);
        assertThat(delivered()).isEmpty();
    }
}
