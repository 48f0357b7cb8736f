package dev.soi.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.soi.aws.SqsQueueProperties;
import dev.soi.aws.SqsSubmissionQueue;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.ReceivedMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A message acknowledged by the persistent local queue survives a restart and a halted JVM. */
class ElasticMqServerPersistenceTest {
    private static final int MESSAGES = 200;

    @TempDir
    Path dir;

    private static SqsSubmissionQueue queue(ElasticMqServer server) {
        return new SqsSubmissionQueue(server.client(), server.queueUrl(), server.dlqUrl(), SqsQueueProperties.defaults());
    }

    /** Everything the queue hands out until {@code expected} arrived or 30 s passed (then the assertion shows what is missing). */
    private static Set<String> receiveAll(ElasticMqServer server, int expected) {
        SqsSubmissionQueue queue = queue(server);
        Set<String> bodies = new HashSet<>();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                List<ReceivedMessage> batch = queue.receive(10, Duration.ofMinutes(5), Duration.ofSeconds(1));
                batch.forEach(m -> bodies.add(m.body()));
                return bodies.size() >= expected;
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // fall through to the caller's exact assertion
        }
        return bodies;
    }

    private static Set<String> expectedBodies() {
        Set<String> bodies = new HashSet<>();
        IntStream.range(0, MESSAGES).forEach(i -> bodies.add("message-" + i));
        return bodies;
    }

    @Test
    void messagesSurviveACleanRestart() {
        try (ElasticMqServer server = ElasticMqServer.start(ElasticMqServer.Options.persistent(dir))) {
            queue(server).enqueue(IntStream.range(0, MESSAGES).mapToObj(i -> new QueueMessage("message-" + i, Map.of())).toList());
        }
        try (ElasticMqServer server = ElasticMqServer.start(ElasticMqServer.Options.persistent(dir))) {
            assertThat(receiveAll(server, MESSAGES)).isEqualTo(expectedBodies());
        }
    }

    @Test
    void acknowledgedMessagesSurviveAHaltedJvm() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                SendThenWait.class.getName(), dir.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("SENT")) {
                // skip the child's log lines until every send was acknowledged
            }
            assertThat(line).as("the child JVM acknowledged its sends").isEqualTo("SENT");
            child.destroyForcibly().waitFor();
        }
        try (ElasticMqServer server = ElasticMqServer.start(ElasticMqServer.Options.persistent(dir))) {
            assertThat(receiveAll(server, MESSAGES)).isEqualTo(expectedBodies());
        }
    }

    /** The child JVM: sends every message one by one (each acknowledged), says SENT, then waits to be killed. */
    public static final class SendThenWait {
        public static void main(String[] args) throws Exception {
            ElasticMqServer server = ElasticMqServer.start(ElasticMqServer.Options.persistent(Path.of(args[0])));
            SqsSubmissionQueue queue = queue(server);
            for (int i = 0; i < MESSAGES; i++) {
                queue.enqueue(List.of(new QueueMessage("message-" + i, Map.of())));
            }
            System.out.println("SENT");
            System.out.flush();
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }
}
