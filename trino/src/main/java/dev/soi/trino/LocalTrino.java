package dev.soi.trino;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A single-node Trino on loopback with the Hive connector over local files and a file metastore: the Athena
 * stand-in for tests. The build fetches and unpacks the server through Maven (see this module's pom); this
 * class writes its configuration into a work folder, starts it on a Java 22+ runtime, waits until it answers,
 * and stops it.
 *
 * <p>Run by hand: {@code java -cp <module classpath> dev.soi.trino.LocalTrino <server dir> <plugin dir> <work dir>} starts it
 * in the foreground and prints its JDBC url.
 */
public final class LocalTrino implements AutoCloseable {
    /** Trino 476 needs Java 22 or newer; our own code stays on 17. */
    public static final int MINIMUM_JAVA = 22;
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    private final Process process;
    private final int port;
    private final Path workDir;

    private LocalTrino(Process process, int port, Path workDir) {
        this.process = process;
        this.port = port;
        this.workDir = workDir;
    }

    /**
     * Starts Trino from {@code serverDir} (the unpacked trino-server-core) with the plugins in {@code pluginDir}
     * (the unpacked trino-hive plugin), keeping configuration, metastore and logs under {@code workDir}.
     */
    public static LocalTrino start(Path serverDir, Path pluginDir, Path workDir, Path javaHome, Duration timeout) {
        requireNonNull(serverDir, "server dir");
        if (!Files.isDirectory(serverDir.resolve("lib"))) {
            throw new IllegalStateException("no Trino server at " + serverDir + " (expected lib/); the trino module's build unpacks it");
        }
        if (children(pluginDir).isEmpty()) {
            throw new IllegalStateException("no Trino plugins in " + pluginDir + "; the trino module's build unpacks the Hive plugin there");
        }
        // The port is chosen before Trino binds it, so another process may take it meanwhile: then this Trino
        // exits, or, worse, the one already there answers. Each start names its own environment and only a server
        // that reports it counts as ready; a start that lost its port is retried on a new one.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(serverDir, pluginDir, workDir, javaHome, timeout);
            } catch (PortLost e) {
                if (attempt == PORT_ATTEMPTS) {
                    throw new IllegalStateException(e.getMessage());
                }
            }
        }
    }

    private static final int PORT_ATTEMPTS = 3;

    /** This start's port was taken by another process before Trino could bind it. */
    private static final class PortLost extends RuntimeException {
        PortLost(String message) {
            super(message, null, false, false);
        }
    }

    private static LocalTrino startOnce(Path serverDir, Path pluginDir, Path workDir, Path javaHome, Duration timeout) {
        try {
            int port = freePort();
            String environment = "soi_test_" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1);
            Path etc = Files.createDirectories(workDir.resolve("etc"));
            Files.createDirectories(etc.resolve("catalog"));
            Path metastore = Files.createDirectories(workDir.resolve("metastore"));
            Files.writeString(etc.resolve("config.properties"), String.join("\n",
                    "coordinator=true",
                    "node-scheduler.include-coordinator=true",
                    "http-server.http.port=" + port,
                    "discovery.uri=http://127.0.0.1:" + port,
                    "query.max-memory=600MB",
                    "query.max-memory-per-node=600MB",
                    "catalog.config-dir=" + etc.resolve("catalog"),
                    "plugin.dir=" + pluginDir.toAbsolutePath(),
                    ""));
            Files.writeString(etc.resolve("catalog/hive.properties"), String.join("\n",
                    "connector.name=hive",
                    "hive.metastore=file",
                    "hive.metastore.catalog.dir=local://" + metastore.toAbsolutePath(),
                    "fs.native-local.enabled=true",
                    "local.location=/",
                    "hive.non-managed-table-writes-enabled=true",
                    "hive.non-managed-table-creates-enabled=true",
                    "hive.allow-register-partition-procedure=true",
                    "hive.parquet.time-zone=UTC",
                    "hive.ignore-absent-partitions=true", // a projected unit with no folder is empty, as an empty S3 prefix
                    ""));
            Files.writeString(etc.resolve("log.properties"), "io.trino=WARN\nio.airlift=WARN\n");
            List<String> command = new ArrayList<>(List.of(
                    javaHome.resolve("bin/java").toString(),
                    "-Xmx1G", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
                    "-Duser.timezone=UTC",
                    "-Dnode.environment=" + environment,
                    "-Dnode.id=soi-local-trino",
                    // loopback only: the HTTP server binds to the node's bind ip
                    "-Dnode.bind-ip=127.0.0.1",
                    "-Dnode.internal-address=127.0.0.1",
                    "-Djdk.attach.allowAttachSelf=true",
                    "-Dnode.data-dir=" + workDir.resolve("node").toAbsolutePath(),
                    "-Dconfig=" + etc.resolve("config.properties").toAbsolutePath(),
                    "-Dlog.levels-file=" + etc.resolve("log.properties").toAbsolutePath(),
                    "-cp", serverDir.resolve("lib").toAbsolutePath() + "/*",
                    "io.trino.server.TrinoServer"));
            Path log = workDir.resolve("server.log");
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            LocalTrino trino = new LocalTrino(process, port, workDir);
            trino.awaitReady(timeout, log, environment);
            return trino;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Trino from " + serverDir, e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:trino://127.0.0.1:" + port + "/hive";
    }

    public Path workDir() {
        return workDir;
    }

    /** The file metastore's folder: one folder per schema, one per table, each table's definition in a JSON file. */
    public Path metastore() {
        return workDir.resolve("metastore");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Duration timeout, Path log, String environment) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest info = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/info")).timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                String message = "Trino exited with " + process.exitValue() + " while starting; end of " + log + ":\n" + tail(log);
                throw lostItsPort(log) ? new PortLost(message) : new IllegalStateException(message);
            }
            try {
                HttpResponse<String> response = http.send(info, HttpResponse.BodyHandlers.ofString());
                String body = response.body().replace(" ", "");
                if (response.statusCode() == 200 && body.contains("\"starting\":false")
                        && body.contains("\"environment\":\"" + environment + "\"")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted while Trino was starting", e);
            }
            sleep(250);
        }
        close();
        throw new IllegalStateException("Trino did not start within " + timeout + "; end of " + log + ":\n" + tail(log));
    }

    /**
     * A Java runtime that can run Trino: {@code TRINO_JAVA_HOME} if set (and then it must qualify), else the
     * running JVM, {@code JAVA_HOME}, or the newest JDK in the usual install folders.
     */
    public static Optional<Path> findJava() {
        String explicit = System.getenv("TRINO_JAVA_HOME");
        if (explicit != null && !explicit.isBlank()) {
            Path home = Path.of(explicit);
            if (javaVersion(home).orElse(0) < MINIMUM_JAVA) {
                throw new IllegalStateException("TRINO_JAVA_HOME=" + explicit + " is not a Java " + MINIMUM_JAVA + "+ runtime");
            }
            return Optional.of(home);
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(System.getProperty("java.home")));
        Optional.ofNullable(System.getenv("JAVA_HOME")).filter(s -> !s.isBlank()).map(Path::of).ifPresent(candidates::add);
        String home = System.getProperty("user.home");
        for (String parent : List.of("/usr/lib/jvm", "/usr/java", "/opt/java", "/opt", home + "/.sdkman/candidates/java",
                home + "/.jdks", "/Library/Java/JavaVirtualMachines")) {
            candidates.addAll(children(Path.of(parent)));
        }
        return newestQualifying(candidates);
    }

    /** The newest of {@code candidates} (JDK folders, or macOS bundles) that is Java {@value #MINIMUM_JAVA}+. */
    static Optional<Path> newestQualifying(List<Path> candidates) {
        return candidates.stream()
                .map(p -> Files.isDirectory(p.resolve("Contents/Home")) ? p.resolve("Contents/Home") : p)
                .filter(p -> Files.isExecutable(p.resolve("bin/java")))
                .filter(p -> javaVersion(p).orElse(0) >= MINIMUM_JAVA)
                .max(Comparator.comparingInt((Path p) -> javaVersion(p).orElse(0)));
    }

    /** Why no Trino can start here, in words a developer can act on. */
    public static String noJavaMessage() {
        return "Trino needs Java " + MINIMUM_JAVA + "+ to run, and none was found (checked TRINO_JAVA_HOME, the running JVM, JAVA_HOME and"
                + " the usual JDK folders). Install a JDK " + MINIMUM_JAVA + "+ and set TRINO_JAVA_HOME to it; our own code still runs on Java 17.";
    }

    static Optional<Integer> javaVersion(Path home) {
        try {
            Path release = home.resolve("release");
            if (!Files.isRegularFile(release)) {
                return Optional.empty();
            }
            Matcher m = RELEASE_VERSION.matcher(Files.readString(release));
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<Path> children(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static boolean lostItsPort(Path log) {
        try {
            return Files.readString(log).contains("java.net.BindException");
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: LocalTrino <unpacked trino-server-core dir> <plugin dir> <work dir>");
            System.exit(2);
        }
        Path java = findJava().orElseThrow(() -> new IllegalStateException(noJavaMessage()));
        LocalTrino trino = start(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), java, Duration.ofMinutes(2));
        Runtime.getRuntime().addShutdownHook(new Thread(trino::close));
        System.out.println("Trino is up: " + trino.jdbcUrl() + " (Ctrl-C stops it)");
        Thread.currentThread().join();
    }
}
