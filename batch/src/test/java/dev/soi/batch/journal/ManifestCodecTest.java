package dev.soi.batch.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ManifestCodecTest {
    private final ManifestCodec codec = new ManifestCodec();

    @Test
    void manifestIsSnakeCaseJsonWithIsoInstantsAndRoundTrips() {
        Map<String, Long> timings = new LinkedHashMap<>();
        timings.put("drain", 12L);
        RunManifest manifest = new RunManifest("20261123t032500z-1a2b3c4d", ManifestState.COMMITTED, 7,
                Instant.parse("2026-11-23T03:25:00Z"), null,
                List.of(new RunManifest.SubmissionEntry("0190a000-0000-7000-8000-000000000001", "AE",
                        Instant.parse("2026-11-23T03:24:59.123Z"), 2)),
                List.of(new RunManifest.PartitionEntry("AE", LocalDate.of(2026, 11, 23))),
                List.of(new RunManifest.FileEntry("security_of_interest_pit/business_unit=AE/request_date=2026-11-23/20261123t032500z-1a2b3c4d-0.parquet",
                        "AE", LocalDate.of(2026, 11, 23), 2, 1234)),
                null, List.of(), timings, null);

        byte[] bytes = codec.write(manifest);
        JsonNode json = JsonMapper.builder().build().readTree(new String(bytes, StandardCharsets.UTF_8));

        assertThat(json.propertyNames()).containsExactly("run_id", "state", "fencing_token", "started_at", "submissions",
                "partitions", "files", "recovered", "timings");
        assertThat(json.get("state").asString()).isEqualTo("COMMITTED");
        assertThat(json.get("started_at").asString()).isEqualTo("2026-11-23T03:25:00Z");
        assertThat(json.get("submissions").get(0).get("accepted_at").asString()).isEqualTo("2026-11-23T03:24:59.123Z");
        assertThat(json.get("partitions").get(0).get("request_date").asString()).isEqualTo("2026-11-23");
        assertThat(json.get("files").get(0).get("business_unit").asString()).isEqualTo("AE");
        assertThat(codec.read("_runs/x.json", bytes)).isEqualTo(manifest);
    }

    @Test
    void corruptManifestNamesItsKey() {
        assertThatThrownBy(() -> codec.read("_runs/20261123t032500z-1a2b3c4d.json", "{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("run manifest _runs/20261123t032500z-1a2b3c4d.json is not valid");
    }
}
