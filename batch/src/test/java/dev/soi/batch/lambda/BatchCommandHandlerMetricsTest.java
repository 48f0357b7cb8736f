package dev.soi.batch.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.batch.ops.StackStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BatchCommandHandlerMetricsTest {
    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private static JsonNode metrics(Instant publishedAt, Instant currentAsOf) {
        StackStatus status = new StackStatus(NOW, null, null, null, 0L, 0L, 0L, Map.of(), List.of(), "v1", publishedAt, null,
                currentAsOf, List.of(), List.of());
        return JsonMapper.builder().build().readTree(BatchCommandHandler.metrics(status));
    }

    @Test
    void aQuietStackIsNotStaleThoughItPublishedHoursAgo() {
        JsonNode line = metrics(NOW.minusSeconds(3 * 3600), NOW.minusSeconds(60));

        assertThat(line.get("SecondsSinceLastPublish").asLong()).isEqualTo(10_800);
        assertThat(line.get("LatestStalenessSeconds").asLong()).isEqualTo(60);
        assertThat(line.get("_aws").get("CloudWatchMetrics").get(0).get("Metrics").findValuesAsString("Name"))
                .containsExactly("SecondsSinceLastPublish", "LatestStalenessSeconds", "OldestUnappliedAgeSeconds", "DeadLetterDepth");
    }

    @Test
    void withoutARunThatReachedTheEndOfTheQueueStalenessIsTheAgeOfTheLastPublication() {
        JsonNode line = metrics(NOW.minusSeconds(7_300), null);

        assertThat(line.get("LatestStalenessSeconds").asLong()).isEqualTo(7_300);
    }
}
