package dev.soi.embedded;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * ElasticMQ in-process on loopback: the real SQS wire protocol, so the local stack talks to it with the
 * same SDK adapter ({@link dev.soi.aws.SqsSubmissionQueue}) as in AWS. It creates the submission
 * queue and its dead-letter queue (redrive after {@code maxReceiveCount} receives).
 *
 * <p>With a data directory, queues and messages persist in H2 files there. The H2 URL carries
 * {@code WRITE_DELAY=0}: without it H2 batches commits for up to half a second, and a halted JVM lost
 * messages whose send had already been acknowledged (measured here: 240 of 2,000).
 */
public final class ElasticMqServer implements AutoCloseable {
    public static final String DEFAULT_QUEUE = "soi-submissions";
    public static final String DEFAULT_DLQ = "soi-submissions-dlq";

    /**
     * @param port            0 picks a free port
     * @param dataDirectory   where queues and messages persist; null keeps them in memory
     * @param maxReceiveCount receives after which SQS moves a message to the DLQ on its own
     */
    public record Options(int port, Path dataDirectory, String queueName, String dlqName, int maxReceiveCount,
                          Duration defaultVisibilityTimeout) {
        public Options {
            checkArgument(port >= 0 && port <= 65535, "port must be 0-65535: %d", port);
            requireNonNull(queueName, "queue name");
            requireNonNull(dlqName, "dlq name");
            checkArgument(queueName.matches("[A-Za-z0-9_-]{1,80}") && dlqName.matches("[A-Za-z0-9_-]{1,80}"),
                    "queue names must be 1-80 of A-Z a-z 0-9 _ -: %s, %s", queueName, dlqName);
            checkArgument(maxReceiveCount >= 1 && maxReceiveCount <= 1000, "max receive count must be 1-1000: %d", maxReceiveCount);
            requireNonNull(defaultVisibilityTimeout, "default visibility timeout");
        }

        public static Options inMemory() {
            return new Options(0, null, DEFAULT_QUEUE, DEFAULT_DLQ, 5, Duration.ofSeconds(30));
        }

        public static Options persistent(Path dataDirectory) {
            return new Options(0, requireNonNull(dataDirectory, "data directory"), DEFAULT_QUEUE, DEFAULT_DLQ, 5, Duration.ofSeconds(30));
        }

        public Options withPort(int newPort) {
            return new Options(newPort, dataDirectory, queueName, dlqName, maxReceiveCount, defaultVisibilityTimeout);
        }

        public Options withQueues(String queue, String dlq) {
            return new Options(port, dataDirectory, queue, dlq, maxReceiveCount, defaultVisibilityTimeout);
        }
    }

    /**
     * ElasticMQ opens its message database through a JVM-wide connection pool that it initialises once
     * (scalikejdbc's singleton), so two persistent servers on different folders in one JVM would share the
     * first folder's database. We allow one persistent server at a time and reset that pool on close.
     */
    private static final java.util.concurrent.atomic.AtomicReference<Path> PERSISTENT_IN_USE = new java.util.concurrent.atomic.AtomicReference<>();

    private final scala.Function0<?> shutdown;
    private final Path persistentDirectory;
    private final URI endpoint;
    private final SqsClient client;
    private final String queueUrl;
    private final String dlqUrl;

    private ElasticMqServer(scala.Function0<?> shutdown, Path persistentDirectory, URI endpoint, SqsClient client, String queueUrl,
                            String dlqUrl) {
        this.shutdown = shutdown;
        this.persistentDirectory = persistentDirectory;
        this.endpoint = endpoint;
        this.client = client;
        this.queueUrl = queueUrl;
        this.dlqUrl = dlqUrl;
    }

    public static ElasticMqServer start(Options options) {
        requireNonNull(options, "options");
        Path persistent = options.dataDirectory() == null ? null : options.dataDirectory().toAbsolutePath().normalize();
        if (persistent != null && !PERSISTENT_IN_USE.compareAndSet(null, persistent)) {
            throw new IllegalStateException("a persistent embedded SQS already runs in this JVM on " + PERSISTENT_IN_USE.get()
                    + "; ElasticMQ keeps one message database per JVM, so " + persistent + " cannot be opened as well");
        }
        try {
            return start(options, persistent);
        } catch (RuntimeException e) {
            releaseDatabase(persistent);
            throw e;
        }
    }

    private static ElasticMqServer start(Options options, Path persistent) {
        return start(options, persistent, ElasticMqServer::freePort);
    }

    /**
     * A free port is only free when it is chosen: until ElasticMQ binds it, another process (or an outgoing
     * connection's ephemeral port) may take it. ElasticMQ cannot bind port 0 and report the port it got, so a
     * start on a chosen port that lost that race is retried on a new one; a port the caller set is never replaced.
     */
    static ElasticMqServer start(Options options, Path persistent, java.util.function.IntSupplier freePorts) {
        if (options.port() != 0) {
            return startOn(options, persistent, options.port());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return startOn(options, persistent, freePorts.getAsInt());
            } catch (RuntimeException e) {
                if (attempt == PORT_ATTEMPTS || !lostThePort(e)) {
                    throw e;
                }
            }
        }
    }

    private static final int PORT_ATTEMPTS = 5;

    private static boolean lostThePort(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.BindException) {
                return true;
            }
        }
        return false;
    }

    private static ElasticMqServer startOn(Options options, Path persistent, int port) {
        Config config = ConfigFactory.parseString(configText(options, port))
                .withFallback(ConfigFactory.load(ElasticMqServer.class.getClassLoader()))
                .resolve();
        scala.Function0<?> shutdown = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        SqsClient client = SqsClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
        try {
            String queueUrl = awaitQueue(client, options.queueName());
            String dlqUrl = awaitQueue(client, options.dlqName());
            return new ElasticMqServer(shutdown, persistent, endpoint, client, queueUrl, dlqUrl);
        } catch (RuntimeException e) {
            client.close();
            shutdown.apply();
            throw e;
        }
    }

    /**
     * With persistence on, ElasticMQ restores queues from its storage after {@code start()} returns, so a
     * queue can be missing for a moment after a restart.
     */
    private static String awaitQueue(SqsClient client, String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return client.getQueueUrl(GetQueueUrlRequest.builder().queueName(name).build()).queueUrl();
            } catch (QueueDoesNotExistException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static String configText(Options options, int port) {
        StringBuilder text = new StringBuilder()
                .append("node-address { protocol = \"http\", host = \"127.0.0.1\", port = ").append(port).append(", context-path = \"\" }\n")
                .append("rest-sqs { enabled = true, bind-port = ").append(port).append(", bind-hostname = \"127.0.0.1\", sqs-limits = strict }\n")
                .append("generate-node-address = false\n")
                .append("aws { region = \"us-east-1\", accountId = \"000000000000\" }\n")
                .append("queues {\n")
                .append("  \"").append(options.dlqName()).append("\" { }\n")
                .append("  \"").append(options.queueName()).append("\" {\n")
                .append("    defaultVisibilityTimeout = ").append(options.defaultVisibilityTimeout().toSeconds()).append(" seconds\n")
                .append("    deadLettersQueue { name = \"").append(options.dlqName()).append("\", maxReceiveCount = ")
                .append(options.maxReceiveCount()).append(" }\n")
                .append("  }\n")
                .append("}\n");
        if (options.dataDirectory() != null) {
            Path dir = options.dataDirectory().toAbsolutePath();
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the queue data directory " + dir, e);
            }
            text.append("queues-storage { enabled = true, path = ").append(quote(dir.resolve("queues.conf").toString())).append(" }\n")
                    .append("messages-storage { enabled = true, driver-class = \"org.h2.Driver\", uri = ")
                    .append(quote("jdbc:h2:" + dir.resolve("messages") + ";WRITE_DELAY=0"))
                    .append(", username = \"\", password = \"\", prune-data-on-init = false }\n");
        }
        return text.toString();
    }

    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback for the embedded SQS", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public String queueUrl() {
        return queueUrl;
    }

    public String dlqUrl() {
        return dlqUrl;
    }

    /** A client for this server (static dummy credentials, region us-east-1); closed with the server. */
    public SqsClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        shutdown.apply();
        releaseDatabase(persistentDirectory);
    }

    /** Closes ElasticMQ's JVM-wide pool and clears its "initialised" flag so the next server opens its own folder. */
    private static void releaseDatabase(Path persistent) {
        if (persistent == null) {
            return;
        }
        try {
            scalikejdbc.ConnectionPool$.MODULE$.closeAll();
            Class<?> db = Class.forName("org.elasticmq.persistence.sql.DB$");
            java.lang.reflect.Field initialized = db.getDeclaredField("initialized");
            initialized.setAccessible(true);
            initialized.setBoolean(db.getField("MODULE$").get(null), false);
            PERSISTENT_IN_USE.compareAndSet(persistent, null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Leave the folder marked as in use: a second persistent server in this JVM is refused clearly
            // instead of silently sharing this one's database.
        }
    }
}
