package dev.soi.trino;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * One Trino per test JVM, started on first use and stopped at exit. Tests that need it call {@link #engine};
 * without an unpacked server (a build with {@code -DskipTrino}) or a Java 22+ runtime they are reported
 * skipped, with the reason. Public for the tests of other modules that run on Trino (through this module's test jar);
 * they pass the same {@code soi.trino.server} and {@code soi.trino.plugins} properties.
 */
public final class SharedTrino {
    private static LocalTrino server;
    private static RuntimeException startFailure;
    /** The Java 22+ runtime, looked up once: the lookup lists the usual JDK folders. */
    private static Optional<Path> java;

    private SharedTrino() {}

    private static synchronized Optional<Path> java() {
        if (java == null) {
            java = LocalTrino.findJava();
        }
        return java;
    }

    /** Why no Trino can run here, if it cannot. */
    public static Optional<String> unavailable() {
        if (System.getProperty("soi.trino.server") == null) {
            return Optional.of("Trino tests skipped: the build did not unpack a Trino server (it was run with -DskipTrino)");
        }
        if (java().isEmpty()) {
            return Optional.of("Trino tests skipped: " + LocalTrino.noJavaMessage());
        }
        return Optional.empty();
    }

    private static boolean warned;

    /**
     * Whether Trino can run here, for {@code @EnabledIf("dev.soi.trino.SharedTrino#available")} on a class that
     * needs it before its first test: the class is then reported skipped, and the reason printed once.
     */
    public static synchronized boolean available() {
        Optional<String> unavailable = unavailable();
        if (unavailable.isPresent() && !warned) {
            warned = true;
            System.err.println("[WARNING] " + unavailable.get());
        }
        return unavailable.isEmpty();
    }

    public static synchronized LocalTrino server() {
        Optional<String> unavailable = unavailable();
        if (unavailable.isPresent() && !warned) {
            warned = true;
            System.err.println("[WARNING] " + unavailable.get());
        }
        Assumptions.assumeTrue(unavailable.isEmpty(), unavailable::get);
        String serverDir = System.getProperty("soi.trino.server");
        if (startFailure != null) {
            throw new IllegalStateException("Trino failed to start earlier in this run", startFailure);
        }
        if (server == null) {
            try {
                Path work = Files.createTempDirectory("soi-trino");
                server = LocalTrino.start(Path.of(serverDir), Path.of(System.getProperty("soi.trino.plugins")), work, java().get(),
                        Duration.ofMinutes(3));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    server.close();
                    deleteTree(work);
                }));
            } catch (IOException e) {
                startFailure = new UncheckedIOException(e);
                throw startFailure;
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return server;
    }

    /** An engine on the shared server whose schema {@code database} is dropped first, so it starts empty. */
    public static TrinoQueryEngine engine(String database, Map<String, String> folders) {
        TrinoQueryEngine engine = new TrinoQueryEngine(new TrinoProperties(server().jdbcUrl(), "soi-test", folders, server().metastore()));
        engine.dropSchema(database);
        return engine;
    }

    /** Another engine over the same catalog, as a second process would have. */
    static TrinoQueryEngine reader(Map<String, String> folders) {
        return new TrinoQueryEngine(new TrinoProperties(server().jdbcUrl(), "soi-test-reader", folders, server().metastore()));
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at exit
        }
    }
}
