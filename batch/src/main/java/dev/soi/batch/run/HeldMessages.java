package dev.soi.batch.run;

import dev.soi.core.port.ReceivedMessage;
import dev.soi.core.port.SubmissionQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The messages a run has received and not yet deleted, each with when its visibility ends. Receives use a
 * short visibility (a minute by default) and the {@link Heartbeat} extends the messages about to reappear, so a
 * live run keeps what it holds however long it takes, and a dead run's messages come back within that minute.
 * Visibility is judged on the monotonic wall clock, as SQS judges it. Thread-safe.
 */
public final class HeldMessages {
    private record Held(ReceivedMessage message, long visibleAtNanos) {}

    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** Records messages just received with {@code visibility}. */
    public void received(Collection<ReceivedMessage> messages, Duration visibility, long receivedAtNanos) {
        long visibleAt = receivedAtNanos + visibility.toNanos();
        messages.forEach(m -> held.put(m.messageId(), new Held(m, visibleAt)));
    }

    /** Forgets messages that were deleted (or moved to the dead-letter queue). */
    public void released(Collection<ReceivedMessage> messages) {
        messages.forEach(m -> held.remove(m.messageId()));
    }

    public int size() {
        return held.size();
    }

    /**
     * Extends, to {@code visibility} from now, every held message whose visibility ends within {@code horizon};
     * returns how many were extended.
     */
    public int extendDue(SubmissionQueue queue, Duration horizon, Duration visibility) {
        long now = System.nanoTime();
        List<ReceivedMessage> due = new ArrayList<>();
        held.values().forEach(h -> {
            if (h.visibleAtNanos() - now <= horizon.toNanos()) {
                due.add(h.message());
            }
        });
        if (due.isEmpty()) {
            return 0;
        }
        queue.changeVisibility(due, visibility);
        long visibleAt = now + visibility.toNanos();
        due.forEach(m -> held.computeIfPresent(m.messageId(), (id, h) -> new Held(h.message(), visibleAt)));
        return due.size();
    }

    /** Makes every held message visible at once, for the next run, and forgets them. */
    public void releaseAll(SubmissionQueue queue) {
        List<ReceivedMessage> all = held.values().stream().map(Held::message).toList();
        if (!all.isEmpty()) {
            queue.changeVisibility(all, Duration.ZERO);
        }
        held.clear();
    }
}
