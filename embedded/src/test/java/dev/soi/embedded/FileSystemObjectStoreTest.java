package dev.soi.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.ObjectStoreContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path root;

    @Override
    protected ObjectStore newStore() {
        return new FileSystemObjectStore(root);
    }

    @Test
    void objectsAreFilesAtTheirKeysAndEmptyFoldersGoAway() throws Exception {
        store.put("security_of_interest_pit/business_unit=AE/request_date=2024-05-16/r-0.parquet", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(root.resolve("security_of_interest_pit/business_unit=AE/request_date=2024-05-16/r-0.parquet")).hasContent("x");
        assertThat(store.location("security_of_interest_pit/")).isEqualTo(root.toAbsolutePath() + "/security_of_interest_pit/");
        store.delete(List.of("security_of_interest_pit/business_unit=AE/request_date=2024-05-16/r-0.parquet"));
        assertThat(Files.exists(root.resolve("security_of_interest_pit"))).isFalse();
    }

    @Test
    void twoStoresOnOneFolderSeeEachOthersConditionalWrites() {
        ObjectStore other = new FileSystemObjectStore(root);
        assertThat(store.putIfAbsent("_lease", new byte[] {1})).isEqualTo(dev.soi.core.port.WriteOutcome.WRITTEN);
        assertThat(other.putIfAbsent("_lease", new byte[] {2})).isEqualTo(dev.soi.core.port.WriteOutcome.PRECONDITION_FAILED);
    }

    @Test
    void aStoreOpeningTheFolderSweepsUploadsAbandonedLongerThanTheBucketRuleAndKeepsYoungerOnes() throws Exception {
        ObjectStore.Upload upload = store.startUpload("security_of_interest_pit/r-0.parquet");
        upload.write("x".getBytes(StandardCharsets.UTF_8));
        upload.stage();
        Path staging = root.resolve(".staging");
        Path abandoned = staging.resolve("upload-crashed.tmp");
        Files.write(abandoned, new byte[] {1});
        Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(AbandonedUploads.AFTER).minus(Duration.ofDays(1))));
        List<String> young;
        try (var files = Files.list(staging)) {
            young = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp") && !n.equals("upload-crashed.tmp")).toList();
        }

        new FileSystemObjectStore(root);

        try (var files = Files.list(staging)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList())
                    .as("the staged upload of a run that may still be recovered stays").containsExactlyInAnyOrderElementsOf(young)
                    .hasSize(1);
        }
    }
}
