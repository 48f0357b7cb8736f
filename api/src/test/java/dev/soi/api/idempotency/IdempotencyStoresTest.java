package dev.soi.api.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.testing.InMemoryObjectStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both stores behave alike: claim once, expire, take over abandoned keys, forget only their own entry. */
class IdempotencyStoresTest {
    private static final BusinessUnit AE = BusinessUnit.of("AE");
    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");

    static Stream<Supplier<IdempotencyStore>> stores() {
        return Stream.of(InMemoryIdempotencyStore::new, () -> new ObjectStoreIdempotencyStore(new InMemoryObjectStore()));
    }

    private static IdempotencyEntry pending(String submissionId, String fingerprint) {
        return new IdempotencyEntry(fingerprint, submissionId, IdempotencyEntry.State.PENDING, "{}", "/status",
                T0.plus(Duration.ofHours(24)), T0.plus(Duration.ofSeconds(60)));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void theFirstClaimWinsAndLaterOnesSeeIt(Supplier<IdempotencyStore> factory) {
        IdempotencyStore store = factory.get();
        IdempotencyEntry first = pending("s1", "f1");

        assertThat(store.claim(AE, "k", first, T0)).isEmpty();
        assertThat(store.claim(AE, "k", pending("s2", "f1"), T0)).contains(first);
        store.complete(AE, "k", first);
        assertThat(store.claim(AE, "k", pending("s3", "f1"), T0.plus(Duration.ofHours(23)))).contains(first.completed());
        assertThat(store.claim(BusinessUnit.of("CMF"), "k", pending("s4", "f1"), T0)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aCompletedKeyExpiresAfterItsTtl(Supplier<IdempotencyStore> factory) {
        IdempotencyStore store = factory.get();
        IdempotencyEntry first = pending("s1", "f1");
        store.claim(AE, "k", first, T0);
        store.complete(AE, "k", first);

        assertThat(store.claim(AE, "k", pending("s2", "f2"), T0.plus(Duration.ofHours(24)))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void aPendingKeyWhoseOwnerDiedIsTakenOver(Supplier<IdempotencyStore> factory) {
        IdempotencyStore store = factory.get();
        store.claim(AE, "k", pending("s1", "f1"), T0);

        assertThat(store.claim(AE, "k", pending("s2", "f1"), T0.plus(Duration.ofSeconds(59)))).map(IdempotencyEntry::submissionId).contains("s1");
        assertThat(store.claim(AE, "k", pending("s2", "f1"), T0.plus(Duration.ofSeconds(60)))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("stores")
    void forgetRemovesOnlyTheCallersOwnEntry(Supplier<IdempotencyStore> factory) {
        IdempotencyStore store = factory.get();
        IdempotencyEntry first = pending("s1", "f1");
        store.claim(AE, "k", first, T0);

        store.forget(AE, "k", pending("other", "f1"));
        assertThat(store.claim(AE, "k", pending("s2", "f1"), T0)).map(IdempotencyEntry::submissionId).isEqualTo(Optional.of("s1"));
        store.forget(AE, "k", first);
        assertThat(store.claim(AE, "k", pending("s2", "f1"), T0)).isEmpty();
    }
}
