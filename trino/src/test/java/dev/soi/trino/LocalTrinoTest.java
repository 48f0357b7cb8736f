package dev.soi.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding a runtime for Trino and refusing a missing server, without starting one. */
class LocalTrinoTest {
    @TempDir
    Path dir;

    private Path jdk(String name, String version) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n");
        java.toFile().setExecutable(true);
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    @Test
    void picksTheNewestJdkOfAtLeast22() throws IOException {
        Path jdk17 = jdk("jdk-17", "17.0.12");
        Path jdk22 = jdk("jdk-22", "22.0.2");
        Path jdk25 = jdk("jdk-25", "25.0.3");
        assertThat(LocalTrino.newestQualifying(List.of(jdk17, jdk25, jdk22))).contains(jdk25);
    }

    @Test
    void findsNothingWhereOnlyOlderJdksAreAndSaysWhatToDo() throws IOException {
        assertThat(LocalTrino.newestQualifying(List.of(jdk("jdk-17", "17.0.12"), jdk("jdk-21", "21.0.5"), dir.resolve("missing"))))
                .isEmpty();
        assertThat(LocalTrino.noJavaMessage()).contains("Java 22+").contains("TRINO_JAVA_HOME");
    }

    @Test
    void refusesAFolderWithoutAServer() {
        assertThatThrownBy(() -> LocalTrino.start(dir, dir, dir.resolve("work"), dir, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Trino server at " + dir);
    }
}
