package dev.soi.bench;

import dev.soi.batch.BatchCommands;
import dev.soi.aws.SqsQueueProperties;
import dev.soi.aws.SqsSubmissionQueue;
import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.FaultInjector;
import dev.soi.batch.ops.RunSummary;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.ObjectSummary;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.TableStatements;
import dev.soi.embedded.DuckDbQueryEngine;
import dev.soi.embedded.ElasticMqServer;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.embedded.RecordingEventPublisher;
import dev.soi.trino.LocalTrino;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Benchmarks of the local stack. Each prints a table and writes {@code bench/results/<name>.json} and
 * {@code .md}; none asserts anything. Figures from one machine are only comparable within one run.
 */
public final class Bench {
    /** The business units of the generated backlogs: one PIT partition each per day. */
    static final List<String> UNITS = List.of("AE", "CMF", "FX", "EQ", "FI", "CR", "MM", "RT", "PB", "AM");
    /** A scheduled run at the scale designed for: 3M PIT rows a day over 288 runs. */
    static final int SCHEDULED_RUN_ROWS = 10_400;

    private Bench() {}

    public static void main(String[] args) throws Exception {
        String which = args.length == 0 ? "run" : args[0];
        String started = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
        Map<String, Object> results = switch (which) {
            case "run" -> run(args.length > 1 ? Long.parseLong(args[1]) : 1_000_000L, args.length > 2 ? Integer.parseInt(args[2]) : 100);
            case "ingest" -> IngestBenchmark.run(args.length > 1 ? Integer.parseInt(args[1]) : 20);
            case "latest" -> LatestBenchmark.run(args.length > 1
                    ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
                    : new int[] {7, 30, 90});
            case "heap" -> HeapBenchmark.run(args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L);
            case "compact" -> CompactionBenchmark.run(args.length > 1 ? Integer.parseInt(args[1]) : 365,
                    args.length > 2 ? Integer.parseInt(args[2]) : 288, args.length > 3 ? Long.parseLong(args[3]) : 1_000_000L);
            case "year" -> YearBenchmark.run(args.length > 1 ? Integer.parseInt(args[1]) : 20, args.length > 2
                    ? Arrays.stream(args).skip(2).mapToInt(Integer::parseInt).toArray() : new int[] {1, 30, 90, 365}, 3);
            case "freshness" -> FreshnessBenchmark.run(dev.soi.local.BenchAccess.schedule(args.length > 1 ? args[1] : "60s"),
                    args.length > 2 ? Integer.parseInt(args[2]) : 600);
            case "cycle" -> CycleBenchmark.run(args.length > 1 ? Integer.parseInt(args[1]) : 20);
            case "remote" -> RemoteQueueBenchmark.run(Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 20),
                    args.length > 2 ? Integer.parseInt(args[2]) : 2);
            case "reads" -> ReadsBenchmark.run(args.length > 1 ? Integer.parseInt(args[1]) : 5000,
                    args.length > 2 ? Integer.parseInt(args[2]) : 300, args.length > 3 ? args[3] : "both");
            case "scale" -> ScaleBenchmark.run(new ScaleHistory.Scale(
                    args.length > 1 ? Integer.parseInt(args[1]) : ScaleBenchmark.DEFAULT.units(),
                    args.length > 2 ? Integer.parseInt(args[2]) : ScaleBenchmark.DEFAULT.packages(),
                    args.length > 3 ? Integer.parseInt(args[3]) : ScaleBenchmark.DEFAULT.ids(),
                    args.length > 4 ? Integer.parseInt(args[4]) : ScaleBenchmark.DEFAULT.days()));
            default -> throw new IllegalArgumentException("unknown benchmark " + which + "; bench/run's header lists them");
        };
        if (which.equals("latest") || which.equals("scale")) {
            results.put("command", "bench/run " + String.join(" ", args));
            results.put("date", started);
        }
        String name = which.equals("freshness") ? "freshness-" + (args.length > 1 ? args[1] : "60s") : which;
        write(name, results);
        if (which.equals("freshness")) {
            Path chart = Path.of("docs", "benchmarks", name + ".png");
            FreshnessChart.write(results, chart);
            System.out.println("chart: " + chart);
        }
        if (which.equals("latest")) {
            // The published charts, named by the command and the start of this run.
            for (Path chart : LatestCharts.write(results, Path.of("docs", "benchmarks"), (String) results.get("command"), started)) {
                System.out.println("chart: " + chart);
            }
        }
        System.exit(0);
    }

    /**
     * End to end: a backlog of {@code rows} PIT rows drained and applied by one run. Each submission (one queue
     * message) carries {@code idsPerSubmission} ids: one package when 100 or fewer, else packages of 100 ids.
     */
    static Map<String, Object> run(long rows, int idsPerSubmission) throws Exception {
        if (idsPerSubmission < 1 || (idsPerSubmission > 100 && idsPerSubmission % 100 != 0)) {
            throw new IllegalArgumentException("ids per submission must be 1..100 or a multiple of 100: " + idsPerSubmission);
        }
        Path home = Files.createTempDirectory("soi-bench-run");
        List<String> units = UNITS;
        int submissions = (int) (rows / idsPerSubmission);
        try (ElasticMqServer server = ElasticMqServer.start(ElasticMqServer.Options.inMemory())) {
            FileSystemObjectStore files = new FileSystemObjectStore(home.resolve("data"));
            CountingObjectStore store = new CountingObjectStore(files);
            CountingSubmissionQueue queue = new CountingSubmissionQueue(
                    new SqsSubmissionQueue(server.client(), server.queueUrl(), server.dlqUrl(), SqsQueueProperties.defaults()));
            DuckDbQueryEngine engine = new DuckDbQueryEngine(home.resolve("catalog"));
            TableStatements statements = new TableStatements(new SqlTemplates(), "df_trusted_bench", store::location);
            SubmissionMessages messages = new SubmissionMessages(store);
            Clock clock = Clock.systemUTC();
            BatchProperties properties = BatchProperties.builder().units(java.util.Set.copyOf(units)).receivers(4)
                    .maxMessages(submissions + 1000).maxSeconds(1200).build();
            BatchCommands materialize = new BatchCommands(new BatchPorts(store, queue, engine, new RecordingEventPublisher(),
                    new ObjectStoreRunLease(store, clock), statements, messages, clock, () -> RunId.generate(clock.instant(),
                    new SplittableRandom()), properties, FaultInjector.NONE));
            materialize.bootstrap();

            long enqueueStart = System.nanoTime();
            enqueueBacklog(queue, messages, clock, units, submissions, idsPerSubmission);
            double enqueueSeconds = (System.nanoTime() - enqueueStart) / 1e9;

            System.gc();
            HeapWatch.resetPeaks();
            queue.reset();
            store.reset();
            RunSummary summary = materialize.run();
            Map<String, Long> sqsCalls = queue.calls();
            Map<String, Long> s3Calls = store.calls();
            long peakHeap = HeapWatch.peakHeap();
            List<ObjectSummary> pitFiles = files.list("security_of_interest_pit/");
            Map<String, Long> filesPerPartition = pitFiles.stream().collect(Collectors.groupingBy(
                    f -> f.key().substring(0, f.key().lastIndexOf('/')), LinkedHashMap::new, Collectors.counting()));

            // Then a run of the size the schedule makes at the scale designed for (3M PIT rows a day in 288 runs: about
            // 10,400 rows), on the store the big run left: the S3 requests one scheduled run costs.
            enqueueBacklog(queue, messages, clock, units, SCHEDULED_RUN_ROWS / 100, 100);
            store.reset();
            RunSummary scheduled = materialize.run();
            Map<String, Long> scheduledS3Calls = store.calls();

            Map<String, Object> results = new LinkedHashMap<>();
            results.put("rows", summary.rowsWritten());
            results.put("ids_per_submission", idsPerSubmission);
            results.put("submissions", summary.submissionsApplied());
            results.put("outcome", summary.outcome().name());
            results.put("enqueue_seconds", round(enqueueSeconds));
            results.put("run_seconds", round(summary.durationMillis() / 1000.0));
            results.put("rows_per_second", Math.round(summary.rowsWritten() / (summary.durationMillis() / 1000.0)));
            results.put("step_millis", summary.stepMillis());
            results.put("files", summary.filesWritten());
            results.put("partitions", filesPerPartition.size());
            results.put("max_files_per_partition", filesPerPartition.values().stream().mapToLong(Long::longValue).max().orElse(0));
            results.put("average_file_bytes", pitFiles.isEmpty() ? 0 : pitFiles.stream().mapToLong(ObjectSummary::size).sum() / pitFiles.size());
            results.put("sqs_calls", sqsCalls);
            results.put("s3_calls", s3Calls);
            results.put("s3_calls_total", CountingObjectStore.total(s3Calls));
            results.put("scheduled_run", new java.util.TreeMap<>(Map.of("rows", scheduled.rowsWritten(), "outcome", scheduled.outcome().name(),
                    "s3_calls", scheduledS3Calls, "s3_calls_total", CountingObjectStore.total(scheduledS3Calls))));
            Map<String, Long> per10k = new LinkedHashMap<>();
            long received = Math.max(1, summary.messagesReceived());
            sqsCalls.forEach((operation, n) -> per10k.put(operation, Math.round(n * 10_000.0 / received)));
            results.put("sqs_calls_per_10k_messages", per10k);
            results.put("peak_heap_mb", peakHeap / (1024 * 1024));
            results.put("peak_rss_mb", peakRssMb());
            results.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
            return results;
        } finally {
            deleteTree(home);
        }
    }

    /** The Trino stand-in, when the server was unpacked ({@code -Dsoi.trino.server}) and a Java 22+ runtime is found. */
    static Optional<LocalTrino> startTrino(Path home) throws IOException {
        String server = System.getProperty("soi.trino.server");
        String plugins = System.getProperty("soi.trino.plugins");
        Optional<Path> javaHome = LocalTrino.findJava();
        if (server == null || plugins == null || javaHome.isEmpty() || !Files.isDirectory(Path.of(server))) {
            System.out.println("Trino skipped: " + (javaHome.isEmpty() ? LocalTrino.noJavaMessage() : "no unpacked server (-Dsoi.trino.server)"));
            return Optional.empty();
        }
        Path work = Files.createDirectories(home.resolve("trino"));
        return Optional.of(LocalTrino.start(Path.of(server), Path.of(plugins), work, javaHome.get(), Duration.ofMinutes(3)));
    }

    /**
     * Sends {@code submissions} submissions of {@code idsPerSubmission} random ids, round-robin over {@code units}, on
     * 8 threads in batches of 10: one package when 100 ids or fewer, else packages of 100 ids.
     */
    static void enqueueBacklog(SubmissionQueue queue, SubmissionMessages messages, Clock clock, List<String> units,
                               int submissions, int idsPerSubmission) throws Exception {
        int packagesPerSubmission = Math.max(1, idsPerSubmission / 100);
        int idsPerPackage = idsPerSubmission / packagesPerSubmission;
        ExecutorService senders = Executors.newFixedThreadPool(8);
        List<Future<?>> sent = new ArrayList<>();
        int perSender = (submissions + 7) / 8;
        for (int t = 0; t < 8; t++) {
            int from = t * perSender;
            int to = Math.min(submissions, from + perSender);
            SplittableRandom random = new SplittableRandom(t);
            sent.add(senders.submit(() -> {
                List<QueueMessage> batch = new ArrayList<>(10);
                for (int i = from; i < to; i++) {
                    Instant at = clock.instant();
                    List<PackageChange> changes = new ArrayList<>(packagesPerSubmission);
                    for (int p = 0; p < packagesPerSubmission; p++) {
                        long[] ids = LongStream.generate(() -> 1 + random.nextLong(50_000_000L)).limit(idsPerPackage).toArray();
                        changes.add(PackageChange.set("job_" + ((i * packagesPerSubmission + p) % 5000), ids));
                    }
                    Submission submission = new Submission(SubmissionId.generate(at, random), at, "bench",
                            BusinessUnit.of(units.get(i % units.size())), changes);
                    batch.add(messages.toMessage(submission, queue.maxMessageBytes()));
                    if (batch.size() == 10) {
                        queue.enqueue(batch);
                        batch = new ArrayList<>(10);
                    }
                }
                if (!batch.isEmpty()) {
                    queue.enqueue(batch);
                }
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        senders.shutdown();
    }

    static void deleteTree(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no RSS figure
        }
        return -1;
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static void write(String name, Map<String, Object> results) throws IOException {
        Path dir = Path.of("bench", "results");
        Files.createDirectories(dir);
        String json = tools.jackson.databind.json.JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(results);
        Files.writeString(dir.resolve(name + ".json"), json);
        StringBuilder md = new StringBuilder("| " + name + " | value |\n|---|---|\n");
        flatten("", results, md);
        Files.writeString(dir.resolve(name + ".md"), md);
        System.out.println();
        System.out.println(md);
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> map, StringBuilder md) {
        for (Map.Entry<String, Object> e : map.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> nested) {
                flatten(prefix + e.getKey() + ".", (Map<String, Object>) nested, md);
            } else if (e.getValue() instanceof List<?> values && values.size() > 20) {
                md.append("| ").append(prefix).append(e.getKey()).append(" | ").append(values.size()).append(" values (see the JSON) |\n");
            } else {
                md.append("| ").append(prefix).append(e.getKey()).append(" | ").append(e.getValue()).append(" |\n");
            }
        }
    }
}
