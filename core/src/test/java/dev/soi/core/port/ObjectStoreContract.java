package dev.soi.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.core.testing.FaultyObjectStore;
import dev.soi.core.write.OwnWrites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every {@link ObjectStore} must do. A subclass supplies a fresh, empty store per test. */
public abstract class ObjectStoreContract {
    protected ObjectStore store;

    protected abstract ObjectStore newStore();

    /** Keys for the pagination tests: more than one S3 page (1,000). */
    protected int manyKeys() {
        return 1100;
    }

    @BeforeEach
    void setUpStore() {
        store = newStore();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putThenGetRoundTrips() {
        store.put("a/b/c.json", bytes("{\"x\":1}"));
        StoredObject object = store.get("a/b/c.json").orElseThrow();
        assertThat(object.key()).isEqualTo("a/b/c.json");
        assertThat(new String(object.content(), StandardCharsets.UTF_8)).isEqualTo("{\"x\":1}");
        assertThat(object.etag()).isNotBlank();
    }

    @Test
    void getOfAMissingKeyIsEmpty() {
        assertThat(store.get("nothing/here")).isEmpty();
    }

    @Test
    void overwritingChangesTheEtag() {
        store.put("k", bytes("one"));
        String first = store.get("k").orElseThrow().etag();
        store.put("k", bytes("two"));
        StoredObject second = store.get("k").orElseThrow();
        assertThat(second.etag()).isNotEqualTo(first);
        assertThat(second.content()).isEqualTo(bytes("two"));
    }

    @Test
    void putIfAbsentWritesOnlyOnce() {
        assertThat(store.putIfAbsent("_lease", bytes("first"))).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(store.putIfAbsent("_lease", bytes("second"))).isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        assertThat(store.get("_lease").orElseThrow().content()).isEqualTo(bytes("first"));
    }

    @Test
    void putIfMatchWritesOnlyOverTheExpectedVersion() {
        store.put("m", bytes("v1"));
        String etag = store.get("m").orElseThrow().etag();
        assertThat(store.putIfMatch("m", bytes("v2"), etag)).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(store.putIfMatch("m", bytes("v3"), etag)).isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        assertThat(store.get("m").orElseThrow().content()).isEqualTo(bytes("v2"));
        assertThat(store.putIfMatch("missing", bytes("v1"), etag)).isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        assertThat(store.get("missing")).isEmpty();
    }

    @Test
    void anUploadIsInvisibleUntilCommitted() throws IOException {
        try (ObjectStore.Upload upload = store.startUpload("pit/file-0.parquet")) {
            upload.write(bytes("partial"));
            assertThat(store.get("pit/file-0.parquet")).isEmpty();
            assertThat(store.list("pit/")).isEmpty();
            upload.write(bytes(" and whole"));
            upload.commit();
        }
        assertThat(store.get("pit/file-0.parquet").orElseThrow().content()).isEqualTo(bytes("partial and whole"));
    }

    @Test
    void closingAnUncommittedUploadLeavesNothing() throws IOException {
        try (ObjectStore.Upload upload = store.startUpload("pit/abandoned.parquet")) {
            upload.write(bytes("half"));
        }
        assertThat(store.get("pit/abandoned.parquet")).isEmpty();
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void aLargeUploadRoundTripsByteForByte() throws IOException {
        byte[] content = new byte[11 * 1024 * 1024 + 123];
        new Random(7).nextBytes(content);
        try (ObjectStore.Upload upload = store.startUpload("big/object.bin")) {
            for (int offset = 0; offset < content.length; offset += 100_000) {
                upload.write(content, offset, Math.min(100_000, content.length - offset));
            }
            upload.commit();
        }
        assertThat(store.get("big/object.bin").orElseThrow().content()).isEqualTo(content);
        assertThat(store.list("big/")).extracting(ObjectSummary::size).containsExactly((long) content.length);
    }

    @Test
    void aStagedUploadIsInvisibleUntilCompletedFromItsHandleAlone() throws IOException {
        PendingUpload staged;
        try (ObjectStore.Upload upload = store.startUpload("pit/staged-0.parquet")) {
            upload.write(bytes("whole file"));
            staged = upload.stage();
        }
        assertThat(staged.key()).isEqualTo("pit/staged-0.parquet");
        assertThat(staged.size()).isEqualTo(10);
        assertThat(store.get("pit/staged-0.parquet")).as("staged, closed, not completed").isEmpty();
        assertThat(store.list("")).isEmpty();

        // The handle as a record keeps it (its fields alone), completed later by whoever reads the record.
        store.completeUpload(new PendingUpload(staged.key(), staged.uploadId(), List.copyOf(staged.partEtags()), staged.size()));

        assertThat(store.get("pit/staged-0.parquet").orElseThrow().content()).isEqualTo(bytes("whole file"));
        assertThat(store.list("pit/")).extracting(ObjectSummary::size).containsExactly(10L);
    }

    @Test
    void completingAnUploadAgainIsNotAnErrorAndChangesNothing() throws IOException {
        PendingUpload staged = staged("pit/twice.parquet", "content");
        store.completeUpload(staged);
        String etag = store.get("pit/twice.parquet").orElseThrow().etag();

        store.completeUpload(staged); // a completion whose first answer was lost, called again

        assertThat(store.get("pit/twice.parquet").orElseThrow()).satisfies(o -> {
            assertThat(o.content()).isEqualTo(bytes("content"));
            assertThat(o.etag()).isEqualTo(etag);
        });
        store.abortUpload(staged);
        assertThat(store.get("pit/twice.parquet")).as("aborting a completed upload never deletes its object").isPresent();
    }

    @Test
    void anAbortedUploadLeavesNothingAndCannotBeCompleted() throws IOException {
        PendingUpload staged = staged("pit/aborted.parquet", "never seen");

        store.abortUpload(staged);
        store.abortUpload(staged);

        assertThat(store.get("pit/aborted.parquet")).isEmpty();
        assertThatThrownBy(() -> store.completeUpload(staged)).isInstanceOf(ObjectStoreException.class)
                .hasMessageContaining("pit/aborted.parquet");
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void aLargeStagedUploadCompletesByteForByte() throws IOException {
        byte[] content = new byte[11 * 1024 * 1024 + 321];
        new Random(11).nextBytes(content);
        PendingUpload staged;
        try (ObjectStore.Upload upload = store.startUpload("big/staged.bin")) {
            for (int offset = 0; offset < content.length; offset += 100_000) {
                upload.write(content, offset, Math.min(100_000, content.length - offset));
            }
            staged = upload.stage();
        }
        assertThat(store.list("big/")).isEmpty();
        store.completeUpload(staged);
        assertThat(store.get("big/staged.bin").orElseThrow().content()).isEqualTo(content);
    }

    @Test
    void aConditionalWriteRetriedAfterItLandedFailsItsOwnPrecondition() {
        // What a client that retries a write whose answer was lost gets back: not a success.
        assertThat(store.putIfAbsent("journal", bytes("v1"))).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(store.putIfAbsent("journal", bytes("v1"))).isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        String v1 = store.get("journal").orElseThrow().etag();
        assertThat(store.putIfMatch("journal", bytes("v2"), v1)).isEqualTo(WriteOutcome.WRITTEN);
        assertThat(store.putIfMatch("journal", bytes("v2"), v1)).isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        assertThat(store.get("journal").orElseThrow().content()).isEqualTo(bytes("v2"));
    }

    @ParameterizedTest
    @EnumSource(FaultyObjectStore.Fault.class)
    void ownWritesTellTheirOwnWriteFromARivalsWhateverTheStoreAnswered(FaultyObjectStore.Fault fault) {
        FaultyObjectStore faulty = new FaultyObjectStore(store);
        OwnWrites mine = new OwnWrites(faulty, "run-a");
        OwnWrites rival = new OwnWrites(store, "run-b");
        boolean lands = fault != FaultyObjectStore.Fault.FAILS_BEFORE_WRITE;

        faulty.arm(fault, w -> true);
        if (lands) {
            assertThat(mine.create("created", bytes("{\"n\":1}")).ours()).isTrue();
        } else {
            assertThatThrownBy(() -> mine.create("created", bytes("{\"n\":1}"))).isInstanceOf(ObjectStoreException.class);
            assertThat(store.get("created")).isEmpty();
        }

        rival.put("replaced", bytes("{\"n\":1}"));
        String etag = store.get("replaced").orElseThrow().etag();
        faulty.arm(fault, w -> true);
        if (lands) {
            OwnWrites.Outcome replaced = mine.replace("replaced", bytes("{\"n\":2}"), etag);
            assertThat(replaced.ours()).isTrue();
            assertThat(OwnWrites.writerOf(store.get("replaced").orElseThrow().content())).hasValue("run-a");
        } else {
            assertThatThrownBy(() -> mine.replace("replaced", bytes("{\"n\":2}"), etag)).isInstanceOf(ObjectStoreException.class);
            assertThat(OwnWrites.writerOf(store.get("replaced").orElseThrow().content())).hasValue("run-b");
        }

        // A rival's write in between: the precondition fails, and the object read back is the rival's.
        String stale = store.get("replaced").orElseThrow().etag();
        rival.put("replaced", bytes("{\"n\":3}"));
        OwnWrites.Outcome lost = mine.replace("replaced", bytes("{\"n\":4}"), stale);
        assertThat(lost.ours()).isFalse();
        assertThat(OwnWrites.writerOf(lost.found().content())).hasValue("run-b");
    }

    private PendingUpload staged(String key, String content) throws IOException {
        try (ObjectStore.Upload upload = store.startUpload(key)) {
            upload.write(bytes(content));
            return upload.stage();
        }
    }

    @Test
    void listingIsPrefixFilteredSortedAndComplete() {
        int count = manyKeys();
        for (int i = count - 1; i >= 0; i--) {
            store.put(String.format("many/k%05d", i), bytes("x"));
        }
        store.put("manyother/k", bytes("x"));
        store.put("other/k", bytes("x"));
        List<ObjectSummary> listed = store.list("many/");
        assertThat(listed).hasSize(count);
        assertThat(listed.get(0).key()).isEqualTo("many/k00000");
        assertThat(listed.get(count - 1).key()).isEqualTo(String.format("many/k%05d", count - 1));
        assertThat(listed).extracting(ObjectSummary::key).isSorted();
        assertThat(store.list("many")).hasSize(count + 1);
    }

    @Test
    void deleteRemovesManyKeysAndIgnoresMissingOnes() {
        int count = manyKeys();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = String.format("del/k%05d", i);
            store.put(key, bytes("x"));
            keys.add(key);
        }
        keys.add("del/never-written");
        store.put("keep/me", bytes("x"));
        store.delete(keys);
        assertThat(store.list("del/")).isEmpty();
        assertThat(store.list("")).extracting(ObjectSummary::key).containsExactly("keep/me");
    }

    @Test
    void racingConditionalCreatesLetExactlyOneThrough() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<WriteOutcome>> outcomes = IntStream.range(0, 8)
                    .mapToObj(i -> pool.submit(() -> {
                        start.await();
                        return store.putIfAbsent("race", bytes("writer " + i));
                    })).toList();
            start.countDown();
            List<WriteOutcome> results = new ArrayList<>();
            for (Future<WriteOutcome> outcome : outcomes) {
                results.add(outcome.get());
            }
            assertThat(results).filteredOn(o -> o == WriteOutcome.WRITTEN).hasSize(1);
            assertThat(results).filteredOn(o -> o == WriteOutcome.PRECONDITION_FAILED).hasSize(7);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void locationsEndLikeTheirPrefix() {
        assertThat(store.location("security_of_interest_pit/")).endsWith("security_of_interest_pit/");
        assertThat(store.location("a/b")).endsWith("a/b").doesNotEndWith("/");
    }

    @Test
    void badKeysAreRefused() {
        assertThatThrownBy(() -> store.put("", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.put("/abs", bytes("x"))).isInstanceOf(IllegalArgumentException.class);
    }
}
