package dev.soi.bench;

import dev.soi.aws.SqsQueueProperties;
import dev.soi.aws.SqsSubmissionQueue;
import dev.soi.batch.BatchCommands;
import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.FaultInjector;
import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.TableStatements;
import dev.soi.embedded.DuckDbQueryEngine;
import dev.soi.embedded.ElasticMqServer;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.embedded.RecordingEventPublisher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code bench/run heap [rows]}: the batch's peak heap over a backlog of {@code rows} rows (default 10,000,000, in
 * submissions of 100 ids), measured in a child JVM that holds only the batch. This process runs ElasticMQ and sends
 * the backlog; the child ({@link #main}) runs with {@code -Xmx} of {@value #CHILD_XMX} and the production drain
 * budget, bootstraps, and runs until a run receives nothing, over the SQS protocol to this process's ElasticMQ.
 * It reports three heap figures: that it completed within its {@code -Xmx}; the largest heap in use right after
 * a collection (what the run kept alive, from the collectors' notifications); and the sum of the heap pools' peaks
 * (an upper bound of the heap in use, garbage included, which a collector lets grow toward {@code -Xmx}).
 */
final class HeapBenchmark {
    static final String CHILD_XMX = "1g";
    private static final String RESULT = "HEAP-RESULT ";

    private HeapBenchmark() {}

    static Map<String, Object> run(long rows) throws Exception {
        int idsPerSubmission = 100;
        int submissions = (int) (rows / idsPerSubmission);
        Path home = Files.createTempDirectory("soi-bench-heap");
        try (ElasticMqServer server = ElasticMqServer.start(ElasticMqServer.Options.inMemory())) {
            FileSystemObjectStore store = new FileSystemObjectStore(home.resolve("data"));
            SqsSubmissionQueue queue = new SqsSubmissionQueue(server.client(), server.queueUrl(), server.dlqUrl(),
                    SqsQueueProperties.defaults());
            long enqueueStart = System.nanoTime();
            Bench.enqueueBacklog(queue, new SubmissionMessages(store), Clock.systemUTC(), Bench.UNITS, submissions, idsPerSubmission);
            double enqueueSeconds = (System.nanoTime() - enqueueStart) / 1e9;

            Path gcLog = home.resolve("gc.log");
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + CHILD_XMX, "-Xlog:gc:file=" + gcLog, "-cp", System.getProperty("java.class.path"),
                    HeapBenchmark.class.getName(), home.toString(), server.endpoint().toString(), server.queueUrl(),
                    server.dlqUrl());
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            String result = null;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(RESULT)) {
                        result = line.substring(RESULT.length());
                    } else {
                        System.out.println("  [batch] " + line);
                    }
                }
            }
            int exit = child.waitFor();
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("rows_enqueued", (long) submissions * idsPerSubmission);
            results.put("submissions_enqueued", submissions);
            results.put("enqueue_seconds", Bench.round(enqueueSeconds));
            results.put("child_xmx", CHILD_XMX);
            results.put("child_exit", exit);
            if (result != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> measured = tools.jackson.databind.json.JsonMapper.builder().build().readValue(result, Map.class);
                results.putAll(measured);
            }
            results.put("gc_log_lines", Files.exists(gcLog) ? Files.readAllLines(gcLog).size() : 0);
            return results;
        } finally {
            Bench.deleteTree(home);
        }
    }

    /** The child: args home, SQS endpoint, queue URL, DLQ URL. Prints one {@value #RESULT} line of JSON. */
    public static void main(String[] args) throws Exception {
        HeapWatch heap = new HeapWatch();
        Path home = Path.of(args[0]);
        SqsClient client = SqsClient.builder().endpointOverride(URI.create(args[1])).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClientBuilder(ApacheHttpClient.builder()).build();
        FileSystemObjectStore store = new FileSystemObjectStore(home.resolve("data"));
        SqsSubmissionQueue queue = new SqsSubmissionQueue(client, args[2], args[3], SqsQueueProperties.defaults());
        Clock clock = Clock.systemUTC();
        // The production drain budget (100,000 messages, 512 MiB a run): only the units are set.
        BatchProperties properties = BatchProperties.builder().units(Set.copyOf(Bench.UNITS)).build();
        BatchCommands materialize = new BatchCommands(new BatchPorts(store, queue, new DuckDbQueryEngine(home.resolve("catalog")),
                new RecordingEventPublisher(), new ObjectStoreRunLease(store, clock),
                new TableStatements(new SqlTemplates(), "df_trusted_bench", store::location), new SubmissionMessages(store), clock,
                BatchPorts.randomRunIds(clock), properties, FaultInjector.NONE));
        materialize.bootstrap();
        heap.start();
        List<Map<String, Object>> runs = new ArrayList<>();
        long rows = 0;
        long start = System.nanoTime();
        while (true) {
            RunSummary summary = materialize.run();
            rows += summary.rowsWritten();
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("outcome", summary.outcome().name());
            one.put("messages", summary.messagesReceived());
            one.put("rows", summary.rowsWritten());
            one.put("seconds", Bench.round(summary.durationMillis() / 1000.0));
            one.put("step_millis", summary.stepMillis());
            runs.add(one);
            if (summary.messagesReceived() == 0 || summary.outcome() != RunSummary.Outcome.COMPLETED || runs.size() >= 20) {
                break;
            }
        }
        HeapWatch.Window window = heap.stop();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rows_written", rows);
        result.put("runs", runs);
        result.put("batch_seconds", Bench.round((System.nanoTime() - start) / 1e9));
        result.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        result.put("peak_live_heap_after_gc_mb", window.liveAfterGcMb());
        result.put("peak_heap_pools_sum_mb", window.poolPeaksMb());
        result.put("peak_rss_mb", Bench.peakRssMb());
        System.out.println(RESULT + tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(result));
        System.exit(0);
    }
}
