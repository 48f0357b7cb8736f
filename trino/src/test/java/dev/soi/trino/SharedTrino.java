package dev.soi.trino;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * One Trino per test JVM, started on first use and stopped at exit. Tests that need it call {@link #engine};
 * without an unpacked server (a build with {@code -DskipTrino}) or a Java 22+ runtime they are reported
 * skipped, with the reason.
 */
final class SharedTrino {
    private static LocalTrino server;
    private static RuntimeException startFailure;

    private SharedTrino() {}

    /** Why no Trino can run here, if it cannot. */
    static Optional<String> unavailable() {
        if (System.getProperty("soi.trino.server") == null) {
            return Optional.of("Trino tests skipped: the build did not unpack a Trino server (it was run with -DskipTrino)");
        }
        if (LocalTrino.findJava().isEmpty()) {
            return Optional.of("Trino tests skipped: " + LocalTrino.noJavaMessage());
        }
        return Optional.empty();
    }

    private static boolean warned;

    static synchronized LocalTrino server() {
        Optional<String> unavailable = unavailable();
        if (unavailable.isPresent() && !warned) {
            warned = true;
            System.err.println("[WARNING] " + unavailable.get());
        }
        Assumptions.assumeTrue(unavailable.isEmpty(), unavailable::get);
        String serverDir = System.getProperty("soi.trino.server");
        Optional<Path> java = LocalTrino.findJava();
        if (startFailure != null) {
            throw new IllegalStateException("Trino failed to start earlier in this run", startFailure);
        }
        if (server == null) {
            try {
                Path work = Files.createTempDirectory("soi-trino");
                server = LocalTrino.start(Path.of(serverDir), Path.of(System.getProperty("soi.trino.plugins")), work, java.get(),
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
    static TrinoQueryEngine engine(String database, Map<String, String> folders) {
        LocalTrino trino = server();
        dropSchema(trino, database);
        return new TrinoQueryEngine(new TrinoProperties(trino.jdbcUrl(), "soi-test", folders));
    }

    /** Another engine over the same catalog, as a second process would have. */
    static TrinoQueryEngine reader(Map<String, String> folders) {
        return new TrinoQueryEngine(new TrinoProperties(server().jdbcUrl(), "soi-test-reader", folders));
    }

    private static void dropSchema(LocalTrino trino, String database) {
        try (Connection c = DriverManager.getConnection(trino.jdbcUrl(), "soi-test", null); Statement st = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + database + "'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                st.execute("DROP TABLE IF EXISTS " + database + "." + table);
            }
            st.execute("DROP SCHEMA IF EXISTS " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reset schema " + database + " on Trino", e);
        }
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
