package dev.soi.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.StoredObject;
import dev.soi.core.port.WriteOutcome;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubmissionMessagesTest {
    private static final Instant T1 = Instant.parse("2024-05-16T10:00:00.123Z");
    private final MapStore store = new MapStore();
    private final SubmissionMessages messages = new SubmissionMessages(store);

    private static Submission submission(long... ids) {
        return new Submission(SubmissionId.generate(T1, new SplittableRandom(7)), T1, "alice", BusinessUnit.of("AE"),
                List.of(PackageChange.set("job_1", ids), PackageChange.delete("job_2")));
    }

    @Test
    void roundTripsASubmissionWithAttributes() {
        Submission submission = submission(123, 456);
        QueueMessage message = messages.toMessage(submission, 262_144);
        assertThat(message.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "soi-business-unit", "AE", "soi-schema-version", "1", "soi-submission-id", submission.id().toString()));
        assertThat(message.body()).isEqualTo("{\"schema_version\":1,\"submission_id\":\"" + submission.id()
                + "\",\"accepted_at\":\"2024-05-16T10:00:00.123Z\",\"business_unit\":\"AE\",\"submitted_by\":\"alice\","
                + "\"packages\":[{\"package_name\":\"job_1\",\"reference_ids\":[123,456]},{\"package_name\":\"job_2\",\"reference_ids\":[]}]}");
        assertThat(messages.decode(message.body())).isEqualTo(submission);
        assertThat(store.objects).isEmpty();
    }

    @Test
    void oversizedBodyGoesToThePayloadStoreAndComesBack() {
        Submission big = submission(LongStream.rangeClosed(1, 50_000).toArray());
        QueueMessage message = messages.toMessage(big, 262_144);
        String key = "_payloads/" + big.id() + ".json";
        assertThat(message.body()).isEqualTo("{\"schema_version\":1,\"submission_id\":\"" + big.id()
                + "\",\"business_unit\":\"AE\",\"payload_key\":\"" + key + "\"}");
        assertThat(store.objects).containsOnlyKeys(key);
        assertThat(messages.payloadKey(message.body())).contains(key);
        assertThat(messages.decode(message.body())).isEqualTo(big);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json|message body is not valid JSON",
            "[1,2]|message body is not a JSON object",
            "{\"schema_version\":2}|unknown schema_version 2",
            "{\"schema_version\":1,\"submission_id\":5}|submission_id must be a string",
            "{\"schema_version\":1,\"payload_key\":\"secrets/x\",\"submission_id\":\"x\"}|payload_key must be under _payloads/",
            "{\"schema_version\":1,\"payload_key\":\"_payloads/x.json\",\"submission_id\":\"x\"}|claim-check payload _payloads/x.json does not exist",
    })
    void invalidBodiesSayWhy(String body, String reason) {
        assertThatThrownBy(() -> messages.decode(body)).isInstanceOf(InvalidMessageException.class).hasMessageContaining(reason);
    }

    @Test
    void readingReportsTheClaimCheckPayloadBytesForTheDrainBudget() {
        Submission big = submission(LongStream.rangeClosed(1, 50_000).toArray());
        QueueMessage pointer = messages.toMessage(big, 262_144);
        QueueMessage inline = messages.toMessage(submission(1), 262_144);

        SubmissionMessages.Read read = messages.read(pointer.body());

        assertThat(read.submission()).isEqualTo(big);
        assertThat(read.payloadBytes()).isEqualTo(messages.encode(big).getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(messages.read(inline.body()).payloadBytes()).isZero();
    }

    @Test
    void invalidContentIsAnInvalidMessage() {
        String body = messages.encode(submission(1)).replace("\"AE\"", "\"ae\"");
        assertThatThrownBy(() -> messages.decode(body)).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("business unit must be");
        String badId = messages.encode(submission(1)).replace("[1]", "[1.5]");
        assertThatThrownBy(() -> messages.decode(badId)).hasMessage("reference id is not a 64-bit integer: 1.5");
    }

    /** The codec needs only put and get; the full store contract is tested with the real adapters. */
    private static final class MapStore implements ObjectStore {
        final Map<String, byte[]> objects = new ConcurrentHashMap<>();

        @Override public Optional<StoredObject> get(String key) {
            return Optional.ofNullable(objects.get(key)).map(b -> new StoredObject(key, b, "e"));
        }
        @Override public void put(String key, byte[] content) { objects.put(key, content); }
        @Override public WriteOutcome putIfAbsent(String key, byte[] content) { throw new UnsupportedOperationException(); }
        @Override public WriteOutcome putIfMatch(String key, byte[] content, String etag) { throw new UnsupportedOperationException(); }
        @Override public Upload startUpload(String key) { throw new UnsupportedOperationException(); }
        @Override public void completeUpload(dev.soi.core.port.PendingUpload upload) { throw new UnsupportedOperationException(); }
        @Override public void abortUpload(dev.soi.core.port.PendingUpload upload) { throw new UnsupportedOperationException(); }
        @Override public List<ObjectSummary> list(String prefix) { throw new UnsupportedOperationException(); }
        @Override public void delete(Collection<String> keys) { throw new UnsupportedOperationException(); }
        @Override public String location(String keyPrefix) { throw new UnsupportedOperationException(); }
    }
}
