package dev.soi.embedded;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.DomainEvent;
import dev.soi.core.port.EventPublishException;
import dev.soi.core.port.EventPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The local event bus: keeps every published event in memory, logs it as one line and, when given a
 * file, appends it there as one JSON object a line (EventBridge's envelope fields: source, detail-type,
 * detail), so a person can {@code tail -f $SOI_HOME/events.jsonl}. Thread-safe; no shared static state.
 */
public final class RecordingEventPublisher implements EventPublisher {
    private static final Logger log = LoggerFactory.getLogger(RecordingEventPublisher.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<DomainEvent> events = new ArrayList<>();
    private final Optional<Path> file;

    public RecordingEventPublisher() {
        this.file = Optional.empty();
    }

    public RecordingEventPublisher(Path file) {
        this.file = Optional.of(requireNonNull(file, "events file"));
    }

    @Override
    public synchronized void publish(DomainEvent event) {
        requireNonNull(event, "event");
        ObjectNode line = JSON.createObjectNode();
        line.put("source", event.source());
        line.put("detail-type", event.detailType());
        line.set("detail", JSON.readTree(event.detailJson()));
        String text = JSON.writeValueAsString(line);
        if (file.isPresent()) {
            try {
                Files.writeString(file.get(), text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new EventPublishException("cannot append the event to " + file.get(), e);
            }
        }
        events.add(event);
        log.info("event {}", text);
    }

    /** Every event published so far, oldest first. */
    public synchronized List<DomainEvent> events() {
        return List.copyOf(events);
    }
}
