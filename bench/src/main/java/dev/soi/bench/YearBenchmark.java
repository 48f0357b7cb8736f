package dev.soi.bench;

import dev.soi.aws.AwsAdapters;
import dev.soi.aws.AwsProperties;
import dev.soi.aws.S3ObjectStore;
import dev.soi.batch.BatchCommands;
import dev.soi.batch.journal.ManifestCodec;
import dev.soi.batch.journal.ManifestJournal;
import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.run.BatchPorts;
import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.run.FaultInjector;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.lease.ObjectStoreRunLease;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.InvocationDeadline;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.TableStatements;
import dev.soi.embedded.ElasticMqServer;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.embedded.RecordingEventPublisher;
import dev.soi.trino.AthenaProtocolServer;
import dev.soi.trino.AthenaTemplateMatcher;
import dev.soi.trino.LocalTrino;
import dev.soi.trino.TrinoProperties;
import dev.soi.trino.TrinoQueryEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.gaul.s3proxy.S3Proxy;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code bench/run year [units] [days …]}: what one scheduled run costs on top of 1, 30, 90 and 365 days of history
 * (default; 20 units), in AWS mode: the batch's S3, SQS and Athena adapters against S3Proxy (its filesystem store),
 * ElasticMQ and the Athena endpoint over Trino, each call counted by an SDK interceptor ({@link AwsCallCounter}).
 *
 * <p>For each history length it lays out the state those days of 5-minute runs leave ({@link YearLayout}: manifests,
 * compacted closed days with their compaction records, today's small files, dead-letter records), registers the
 * partitions with {@code bootstrap} (counted too: the repair after a lost catalog), builds the first latest version,
 * then runs real scheduled runs on top, each after one submission per unit was queued: one warm-up, then the measured
 * ones, then one that also receives a submission committed days ago (an old redriven message). Per run: S3 LIST, GET
 * and PUT calls, Athena statements and bytes scanned, the run's time, and each statement's first line.
 */
final class YearBenchmark {
    private static final String BUCKET = "soi-year";
    private static final LocalDate FIRST_DAY = LocalDate.parse("2025-01-01");
    /** The history ends at noon of its last day: 144 of that day's runs are in it. */
    private static final int TODAY_RUNS = 144;
    private static final String ACCESS_KEY = "bench-access";
    private static final String SECRET_KEY = "bench-secret";

    private YearBenchmark() {}

    static Map<String, Object> run(int unitCount, int[] dayCounts, int measuredRuns) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        Path home = Files.createTempDirectory("soi-bench-year");
        Path s3Folder = Files.createDirectories(home.resolve("s3"));
        List<BusinessUnit> units = new ArrayList<>();
        for (int u = 0; u < unitCount; u++) {
            units.add(BusinessUnit.of(u < Bench.UNITS.size() ? Bench.UNITS.get(u) : "U" + u));
        }
        result.put("units", unitCount);
        result.put("runs_per_day", YearLayout.RUNS_PER_DAY);
        result.put("measured_runs", measuredRuns);
        Optional<LocalTrino> trino = Bench.startTrino(home);
        if (trino.isEmpty()) {
            result.put("skipped", "no Trino here");
            return result;
        }
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        S3Proxy s3proxy = null;
        try (ElasticMqServer sqs = ElasticMqServer.start(ElasticMqServer.Options.inMemory().withQueues("year", "year-dlq"))) {
            s3proxy = LocalS3Proxy.start(s3Folder, ACCESS_KEY, SECRET_KEY);
            String s3Endpoint = "http://127.0.0.1:" + s3proxy.getPort();
            Map<String, Object> first = null;
            for (int days : dayCounts) {
                Map<String, Object> state = state(days, units, measuredRuns, s3Folder, s3Endpoint, sqs, trino.get());
                result.put("days_" + days, state);
                if (first == null) {
                    first = state;
                } else {
                    result.put("days_" + days + "_vs_first", ratios(first, state));
                }
            }
            return result;
        } finally {
            if (s3proxy != null) {
                s3proxy.stop();
            }
            trino.get().close();
            Bench.deleteTree(home);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ratios(Map<String, Object> first, Map<String, Object> state) {
        Map<String, Object> ratios = new LinkedHashMap<>();
        for (String run : List.of("run_median", "redrive_run")) {
            Map<String, Object> a = (Map<String, Object>) first.get(run);
            Map<String, Object> b = (Map<String, Object>) state.get(run);
            for (String figure : List.of("s3_list", "s3_get", "s3_put", "athena_statements", "athena_bytes_scanned", "run_ms")) {
                double x = ((Number) a.get(figure)).doubleValue();
                double y = ((Number) b.get(figure)).doubleValue();
                ratios.put(run + "." + figure, x == 0 ? (y == 0 ? 1.0 : Double.POSITIVE_INFINITY) : Bench.round(y / x));
            }
        }
        return ratios;
    }

    /** Lays out {@code days} days of history under a prefix of its own, then measures runs on top of it. */
    private static Map<String, Object> state(int days, List<BusinessUnit> units, int measuredRuns, Path s3Folder, String s3Endpoint,
                                             ElasticMqServer sqs, LocalTrino trino) throws Exception {
        Map<String, Object> state = new LinkedHashMap<>();
        String prefix = "year" + days;
        String env = "y" + days;
        AwsCallCounter counter = new AwsCallCounter();
        TrinoQueryEngine trinoEngine = new TrinoQueryEngine(new TrinoProperties(trino.jdbcUrl(), "bench-year",
                Map.of("s3://" + BUCKET + "/" + prefix + "/", s3Folder.resolve(BUCKET).resolve(prefix).toAbsolutePath() + "/"), trino.metastore()));
        trinoEngine.dropSchema("df_trusted_" + env);
        try (AthenaProtocolServer athena = AthenaProtocolServer.start(trinoEngine, AthenaTemplateMatcher.ofClasspath(new SqlTemplates()))) {
            AwsProperties properties = new AwsProperties("us-east-1", null, BUCKET, prefix, sqs.queueUrl(), sqs.dlqUrl(), "soi-year",
                    "s3://results-bucket/athena/", null, env, Map.of("s3", s3Endpoint, "sqs", sqs.endpoint().toString(),
                    "athena", athena.endpoint().toString()));
            AwsAdapters aws = new AwsAdapters(properties, List.of(counter), InvocationDeadline.NONE);
            try (S3Client s3 = aws.s3(); SqsClient sqsClient = aws.sqs(); AthenaClient athenaClient = aws.athena()) {
                if (!Files.isDirectory(s3Folder.resolve(BUCKET))) {
                    s3.createBucket(b -> b.bucket(BUCKET));
                }
                long layoutStart = System.nanoTime();
                Path root = s3Folder.resolve(BUCKET).resolve(prefix);
                YearLayout layout = new YearLayout(new FileSystemObjectStore(root), units, FIRST_DAY, days, TODAY_RUNS);
                RunId lastRun = layout.write();
                Bench.deleteTree(root.resolve(".staging"));
                writeEtags(root);
                state.put("layout_objects", layout.objects());
                state.put("layout_s", Bench.round((System.nanoTime() - layoutStart) / 1e9));
                System.out.printf("%d days: laid out %s in %.0f s%n", days, layout.objects(), (System.nanoTime() - layoutStart) / 1e9);

                S3ObjectStore store = aws.objectStore(s3);
                SubmissionQueue queue = aws.submissionQueue(sqsClient);
                QueryEngine engine = aws.queryEngine(athenaClient);
                TableStatements statements = aws.tableStatements(store);
                BenchClock clock = new BenchClock(layout.lastRunStart().plus(Duration.ofMinutes(5)));
                SubmissionMessages messages = new SubmissionMessages(store);
                Set<String> codes = units.stream().map(BusinessUnit::code).collect(Collectors.toCollection(TreeSet::new));
                BatchCommands commands = new BatchCommands(new BatchPorts(store, queue, engine, new RecordingEventPublisher(),
                        new ObjectStoreRunLease(store, clock), statements, messages, clock, BatchPorts.randomRunIds(clock),
                        BatchProperties.builder().units(codes).build(), FaultInjector.NONE));

                // The catalog, as bootstrap repairs it over existing data; then the latest version the last run published.
                counter.reset();
                long bootstrapStart = System.nanoTime();
                RunSummary bootstrap = commands.bootstrap();
                state.put("bootstrap", Map.of("outcome", bootstrap.outcome().name(), "partitions_registered", bootstrap.partitionsRegistered(),
                        "s", Bench.round((System.nanoTime() - bootstrapStart) / 1e9), "s3_list", counter.calls("S3.ListObjectsV2"),
                        "s3_get", counter.calls("S3", "GetObject", "HeadObject"), "athena_statements", counter.calls("Athena.StartQueryExecution")));
                System.out.printf("%d days: bootstrap %s%n", days, state.get("bootstrap"));
                String version = StorageLayout.latestVersionPrefix(lastRun.value());
                LatestRebuild.rebuild(engine, statements, units, lastRun.value(), null, null);
                store.put(StorageLayout.LAST_DONE_KEY, new ManifestCodec().writeLastDone(new ManifestJournal.LastDone(lastRun.value(),
                        lastRun.value(), layout.lastRunStart().plusSeconds(20),
                        dev.soi.batch.journal.PublishedFile.of(store.list(version)))));

                run(commands, queue, messages, clock, units, counter, null); // warm-up
                List<Map<String, Object>> runs = new ArrayList<>();
                for (int i = 0; i < measuredRuns; i++) {
                    runs.add(run(commands, queue, messages, clock, units, counter, null));
                }
                state.put("runs", runs);
                state.put("run_median", median(runs));
                Submission old = layout.committedSubmission(Math.min(days - 1, 13), 100);
                Map<String, Object> redrive = run(commands, queue, messages, clock, units, counter, old);
                state.put("redrive_run", redrive);
                System.out.printf("%d days: a run %s; with an old redriven message %s%n", days, brief(median(runs)), brief(redrive));
            }
        }
        return state;
    }

    /**
     * Gives every laid-out file the etag S3Proxy's filesystem store answers with: the MD5 it keeps in a user extended
     * attribute (an object written past S3Proxy has none, and the S3 adapter needs one for its conditional writes).
     */
    private static void writeEtags(Path root) throws Exception {
        try (var files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                byte[] md5 = java.security.MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file));
                Files.getFileAttributeView(file, java.nio.file.attribute.UserDefinedFileAttributeView.class)
                        .write("user.content-md5", java.nio.ByteBuffer.wrap(md5));
            }
        }
    }

    /** One scheduled run, after one submission per unit (and {@code old}, when given) was queued. */
    private static Map<String, Object> run(BatchCommands commands, SubmissionQueue queue, SubmissionMessages messages,
                                           BenchClock clock, List<BusinessUnit> units, AwsCallCounter counter, Submission old) {
        clock.advance(Duration.ofMinutes(5));
        Random random = new Random(clock.instant().toEpochMilli());
        List<QueueMessage> batch = new ArrayList<>();
        for (BusinessUnit unit : units) {
            Instant at = clock.instant().minusSeconds(60);
            Submission submission = new Submission(SubmissionId.generate(at, random), at, "bench", unit,
                    List.of(PackageChange.set("job_" + random.nextInt(50), random.longs(10, 1, 1_000_000L).distinct().toArray())));
            batch.add(messages.toMessage(submission, queue.maxMessageBytes()));
        }
        if (old != null) {
            batch.add(messages.toMessage(old, queue.maxMessageBytes()));
        }
        for (int from = 0; from < batch.size(); from += 10) {
            queue.enqueue(batch.subList(from, Math.min(batch.size(), from + 10)));
        }
        counter.reset();
        RunSummary summary = commands.run();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("outcome", summary.outcome().name());
        run.put("applied", summary.submissionsApplied());
        run.put("already_committed", summary.alreadyCommitted());
        run.put("run_ms", summary.durationMillis());
        run.put("s3_list", counter.calls("S3.ListObjectsV2"));
        run.put("s3_get", counter.calls("S3", "GetObject", "HeadObject"));
        run.put("s3_put", counter.calls("S3", "PutObject", "CompleteMultipartUpload"));
        run.put("s3_delete", counter.calls("S3", "DeleteObject"));
        run.put("athena_statements", counter.calls("Athena.StartQueryExecution"));
        run.put("athena_bytes_scanned", counter.bytesScanned());
        run.put("sqs_calls", counter.calls("Sqs", ""));
        run.put("calls", counter.calls());
        run.put("statements", counter.statements());
        run.put("step_ms", summary.stepMillis());
        if (summary.outcome() != RunSummary.Outcome.COMPLETED) {
            throw new IllegalStateException("a measured run did not complete: " + summary.line());
        }
        return run;
    }

    private static Map<String, Object> median(List<Map<String, Object>> runs) {
        Map<String, Object> median = new LinkedHashMap<>();
        for (String figure : List.of("s3_list", "s3_get", "s3_put", "s3_delete", "athena_statements", "athena_bytes_scanned", "sqs_calls",
                "run_ms")) {
            List<Long> values = runs.stream().map(r -> ((Number) r.get(figure)).longValue()).sorted().toList();
            median.put(figure, values.get(values.size() / 2));
        }
        return median;
    }

    private static String brief(Map<String, Object> run) {
        return "LIST " + run.get("s3_list") + ", GET " + run.get("s3_get") + ", PUT " + run.get("s3_put") + ", statements "
                + run.get("athena_statements") + ", scanned " + run.get("athena_bytes_scanned") + " B, " + run.get("run_ms") + " ms";
    }
}
