package dev.soi.core.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.core.port.ObjectStoreException;
import dev.soi.core.testing.FaultyObjectStore;
import dev.soi.core.testing.FaultyObjectStore.Fault;
import dev.soi.core.testing.InMemoryObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Write tokens, and each way a write's outcome is resolved by reading; {@code ObjectStoreContract} runs them on every store. */
class OwnWritesTest {
    private final InMemoryObjectStore memory = new InMemoryObjectStore();
    private final FaultyObjectStore store = new FaultyObjectStore(memory);
    private final AtomicInteger nonce = new AtomicInteger();
    private final OwnWrites writes = new OwnWrites(store, "20261123t032500z-1a2b3c4d", () -> "n" + nonce.incrementAndGet());

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyWriteCarriesItsOwnTokenBesideTheRecordsFields() {
        OwnWrites.Outcome first = writes.put("a.json", json("{\"state\":\"PENDING\",\"n\":1}"));
        OwnWrites.Outcome second = writes.put("a.json", json("{\"state\":\"PENDING\",\"n\":1}"));

        assertThat(first.token()).isEqualTo("20261123t032500z-1a2b3c4d/n1");
        assertThat(second.token()).as("a fresh nonce per write, even for the same content").isEqualTo("20261123t032500z-1a2b3c4d/n2");
        JsonNode stored = JsonMapper.builder().build().readTree(memory.get("a.json").orElseThrow().content());
        assertThat(stored.get("state").asString()).isEqualTo("PENDING");
        assertThat(stored.get("n").asInt()).isEqualTo(1);
        assertThat(stored.get(OwnWrites.TOKEN_FIELD).asString()).isEqualTo(second.token());
        assertThat(OwnWrites.writerOf(memory.get("a.json").orElseThrow().content())).hasValue("20261123t032500z-1a2b3c4d");
    }

    @Test
    void aRecordThatIsNotAJsonObjectIsRefused() {
        assertThatThrownBy(() -> writes.put("a.json", json("[1,2]"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> writes.put("a.json", json("{broken"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(OwnWrites.tokenOf(json("not json"))).isEmpty();
    }

    @Test
    void aCreateThatLandedAndWhoseRetryFailedItsPreconditionIsOurs() {
        store.arm(Fault.LANDS_THEN_RETRY_ANSWERS, w -> true);

        OwnWrites.Outcome outcome = writes.create("lease", json("{\"holder\":\"a\"}"));

        assertThat(outcome.ours()).isTrue();
        assertThat(outcome.foundEtag()).hasValue(memory.get("lease").orElseThrow().etag());
    }

    @Test
    void aReplaceThatLandedAndWhoseAnswerWasLostIsOurs() {
        writes.put("m.json", json("{\"state\":\"PENDING\"}"));
        String etag = memory.get("m.json").orElseThrow().etag();
        store.arm(Fault.LANDS_THEN_FAILS, w -> true);

        OwnWrites.Outcome outcome = writes.replace("m.json", json("{\"state\":\"COMMITTED\"}"), etag);

        assertThat(outcome.ours()).isTrue();
        assertThat(writes.readOwn("m.json", outcome.token())).isPresent();
    }

    @Test
    void aWriteThatNeverLandedIsItsFailureAndARivalsObjectIsALostRace() {
        writes.put("m.json", json("{\"state\":\"PENDING\"}"));
        String etag = memory.get("m.json").orElseThrow().etag();
        store.arm(Fault.FAILS_BEFORE_WRITE, w -> true);
        assertThatThrownBy(() -> writes.replace("m.json", json("{\"state\":\"COMMITTED\"}"), etag))
                .isInstanceOf(ObjectStoreException.class).hasMessageContaining("failed before reaching the store");

        new OwnWrites(memory, "other-run").replace("m.json", json("{\"state\":\"ABORTED\"}"), etag);
        OwnWrites.Outcome lost = writes.replace("m.json", json("{\"state\":\"COMMITTED\"}"), etag);
        assertThat(lost.ours()).isFalse();
        assertThat(OwnWrites.writerOf(lost.found().content())).hasValue("other-run");
        assertThat(writes.readOwn("m.json", lost.token())).isEmpty();
    }

    @Test
    void aWriteWhoseOutcomeCannotBeReadBackFailsLoudlyNamingTheKey() {
        writes.put("m.json", json("{\"state\":\"PENDING\"}"));
        String etag = memory.get("m.json").orElseThrow().etag();
        store.arm(Fault.LANDS_THEN_FAILS, w -> true);
        store.unreadable(true);

        assertThatThrownBy(() -> writes.replace("m.json", json("{\"state\":\"COMMITTED\"}"), etag))
                .isInstanceOf(WriteOutcomeUnknownException.class)
                .hasMessageContaining("m.json").hasMessageContaining("is unknown").hasMessageContaining("Nothing was cleaned up");
    }
}
