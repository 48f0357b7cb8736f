package dev.soi.bench;

import dev.soi.api.security.LocalTokens;
import dev.soi.aws.AwsAdapters;
import dev.soi.batch.BatchCommands;
import dev.soi.batch.ops.RunSummary;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueueMessage;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.sql.Statement;
import dev.soi.core.sql.TableStatements;
import dev.soi.local.BenchAccess;
import dev.soi.local.LocalHome;
import dev.soi.trino.LocalTrino;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The API's three GETs answered from the read model against the query each replaced, on the same data: {@code packages}
 * packages of {@code ids} ids each in one unit, applied by the batch. AWS mode ({@link AwsReadStack}: S3Proxy, and
 * Athena's protocol over Trino) runs both paths in one run; local mode runs them on {@code ./soi local}'s stack (its
 * folder store and DuckDB). The query path is the engine call the API made before the read model
 * ({@code queries/latest_package}, {@code queries/latest_unit_page}, {@code queries/submission_applied} through the
 * {@code QueryEngine} port), timed in process; the read model path is the API's own HTTP GET, token check included, so
 * the comparison leans against the read model. At 1, 10 and 50 concurrent clients; the AWS calls of each GET counted.
 */
final class ReadsBenchmark {
    static final String UNIT = "AE";
    static final int PAGE_SIZE = 100;
    static final int[] CLIENTS = {1, 10, 50};

    private ReadsBenchmark() {}

    /** @param modes {@code aws}, {@code local} or {@code both} */
    static Map<String, Object> run(int packages, int ids, String modes) throws Exception {
        if (!List.of("aws", "local", "both").contains(modes)) {
            throw new IllegalArgumentException("bench/run reads: the mode is aws, local or both, not " + modes);
        }
        java.time.ZonedDateTime startedAt = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC);
        Path home = Files.createTempDirectory("soi-bench-reads");
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("unit", UNIT);
        results.put("packages", packages);
        results.put("ids_per_package", ids);
        try {
            Optional<LocalTrino> trino = modes.equals("local") ? Optional.empty() : Bench.startTrino(home);
            if (modes.equals("local")) {
                results.put("aws", "not run: bench/run reads … local");
            } else if (trino.isPresent()) {
                try (LocalTrino server = trino.get(); AwsReadStack stack = new AwsReadStack(home.resolve("aws"), server, UNIT)) {
                    results.put("aws", aws(stack, packages, ids));
                }
            } else {
                results.put("aws", "skipped: no Trino (see above)");
            }
            results.put("local", modes.equals("aws") ? "not run: bench/run reads … aws" : local(home.resolve("local"), packages, ids));
            String started = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").format(startedAt);
            if (modes.equals("both")) {
                System.out.println("chart: " + ReadsChart.write(results, Path.of("docs", "benchmarks", "reads.png"),
                        "bench/run reads " + packages + " " + ids + " — " + started));
            } else {
                System.out.println("chart: not written (one mode only; docs/benchmarks/reads.png shows both)");
            }
            return results;
        } finally {
            Bench.deleteTree(home);
        }
    }

    private static Map<String, Object> aws(AwsReadStack stack, int packages, int ids) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        BatchCommands commands = stack.batch.getBean(BatchCommands.class);
        commands.bootstrap();
        out.put("setup", load(stack.batch.getBean(SubmissionQueue.class), stack.batch.getBean(ObjectStore.class), commands, packages, ids));
        @SuppressWarnings("unchecked")
        List<String> submissions = (List<String>) ((Map<String, Object>) out.get("setup")).remove("submission_ids");
        AwsCallCounter queryCalls = new AwsCallCounter();
        AwsAdapters adapters = stack.athenaAdapters(queryCalls);
        try (var athena = adapters.athena()) {
            QueryEngine engine = adapters.queryEngine(athena);
            ReadLoad.Get query = queryPath(engine, stack.batch.getBean(TableStatements.class), packages, submissions);
            ReadLoad.Get read = readModelPath(stack.apiBase(UNIT), AwsReadStack.SECRET, packages, submissions);
            compare(out, query, queryCalls::snapshot, read, stack.apiCalls::snapshot, new int[] {15, 60, 150}, new int[] {300, 1500, 3000});
        }
        return out;
    }

    private static Map<String, Object> local(Path home, int packages, int ids) throws Exception {
        Files.createDirectories(home);
        Map<String, Object> out = new LinkedHashMap<>();
        // The schedule a day away: only this benchmark's runs touch the queue.
        ConfigurableApplicationContext stack = BenchAccess.start(new LocalHome(home), Duration.ofDays(1));
        try {
            BatchCommands commands = stack.getBean(BatchCommands.class);
            out.put("setup", load(stack.getBean(SubmissionQueue.class), stack.getBean(ObjectStore.class), commands, packages, ids));
            @SuppressWarnings("unchecked")
            List<String> submissions = (List<String>) ((Map<String, Object>) out.get("setup")).remove("submission_ids");
            String base = "http://127.0.0.1:" + stack.getEnvironment().getProperty("local.server.port") + "/api/v1/security-of-interest/" + UNIT;
            ReadLoad.Get query = queryPath(stack.getBean(QueryEngine.class), stack.getBean(TableStatements.class), packages, submissions);
            ReadLoad.Get read = readModelPath(base, new LocalHome(home).jwtSecret(), packages, submissions);
            Supplier<Map<String, Long>> none = Map::of;
            compare(out, query, none, read, none, new int[] {100, 300, 500}, new int[] {300, 1500, 3000});
        } finally {
            stack.close();
        }
        return out;
    }

    /** At each number of clients, the query path then the read model path. */
    private static void compare(Map<String, Object> out, ReadLoad.Get query, Supplier<Map<String, Long>> queryCalls,
                                ReadLoad.Get read, Supplier<Map<String, Long>> readCalls, int[] queryRequests, int[] readRequests)
            throws Exception {
        for (int level = 0; level < CLIENTS.length; level++) {
            int clients = CLIENTS[level];
            Map<String, Object> byPath = new LinkedHashMap<>();
            byPath.put("query", ReadLoad.measure(clients, queryRequests[level], 3, query, queryCalls));
            byPath.put("read_model", ReadLoad.measure(clients, readRequests[level], 30, read, readCalls));
            double q = ((Number) ((Map<?, ?>) byPath.get("query")).get("p50_ms")).doubleValue();
            double r = ((Number) ((Map<?, ?>) byPath.get("read_model")).get("p50_ms")).doubleValue();
            byPath.put("p50_ratio_query_over_read_model", Bench.round(q / Math.max(0.01, r)));
            out.put("clients_" + clients, byPath);
            System.out.println("reads: " + clients + " clients: " + byPath);
        }
    }

    /** The engine call the API made for each GET before the read model. */
    private static ReadLoad.Get queryPath(QueryEngine engine, TableStatements statements, int packages, List<String> submissions) {
        BusinessUnit unit = BusinessUnit.of(UNIT);
        return i -> {
            Statement statement = switch (ReadLoad.Kind.of(i)) {
                case PACKAGE -> statements.latestPackage(unit, PackageName.of(packageName(pick(i, packages))));
                case PAGE -> {
                    long first = (long) page(i, packages) * PAGE_SIZE;
                    yield statements.latestUnitPage(unit, first, first + PAGE_SIZE + 1);
                }
                case STATUS -> statements.submissionApplied(unit, SubmissionId.parse(submissions.get(pick(i, submissions.size()))));
            };
            return !engine.query(statement).rows().isEmpty();
        };
    }

    /** The API's GET over HTTP, as a client of the unit sends it; a 200 is the expected answer for each. */
    private static ReadLoad.Get readModelPath(String base, String secret, int packages, List<String> submissions) {
        HttpClient http = HttpClient.newHttpClient();
        String token = "Bearer " + LocalTokens.mint(secret, "bench", List.of(UNIT), Duration.ofHours(4));
        return i -> {
            String path = switch (ReadLoad.Kind.of(i)) {
                case PACKAGE -> "/packages/" + packageName(pick(i, packages));
                case PAGE -> "/packages?page=" + page(i, packages) + "&size=" + PAGE_SIZE;
                case STATUS -> "/submissions/" + submissions.get(pick(i, submissions.size()));
            };
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", token)
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            return response.statusCode() == 200 && response.body().length > 0;
        };
    }

    /** A spread over {@code 0..n-1} that request {@code i} fixes (a prime stride, so consecutive requests differ). */
    private static int pick(int i, int n) {
        return (int) Math.floorMod(i * 7919L, (long) n);
    }

    private static int page(int i, int packages) {
        return pick(i, Math.max(1, packages / PAGE_SIZE));
    }

    static String packageName(int i) {
        return String.format("pkg_%05d", i);
    }

    /**
     * One submission per package ({@code ids} random ids), sent to the queue as the API would, then applied by runs of
     * the batch until all are: the time each part took, the runs, and the submission ids (for the status GETs).
     */
    private static Map<String, Object> load(SubmissionQueue queue, ObjectStore store, BatchCommands commands, int packages, int ids)
            throws Exception {
        SubmissionMessages messages = new SubmissionMessages(store);
        Clock clock = Clock.systemUTC();
        SplittableRandom random = new SplittableRandom(42);
        List<String> submissionIds = new ArrayList<>(packages);
        long t0 = System.nanoTime();
        List<QueueMessage> batch = new ArrayList<>(10);
        for (int p = 0; p < packages; p++) {
            Instant at = clock.instant();
            long[] values = LongStream.generate(() -> 1 + random.nextLong(50_000_000L)).distinct().limit(ids).toArray();
            Submission submission = new Submission(SubmissionId.generate(at, random), at, "bench", BusinessUnit.of(UNIT),
                    List.of(PackageChange.set(packageName(p), values)));
            submissionIds.add(submission.id().toString());
            batch.add(messages.toMessage(submission, queue.maxMessageBytes()));
            if (batch.size() == 10 || p == packages - 1) {
                queue.enqueue(batch);
                batch = new ArrayList<>(10);
            }
        }
        double enqueueSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        long applied = 0;
        List<String> runs = new ArrayList<>();
        for (int attempt = 0; attempt < 20 && applied < packages; attempt++) {
            RunSummary run = commands.run();
            applied += run.submissionsApplied();
            runs.add(run.line());
            System.out.println("reads setup: " + run.line());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enqueue_s", Bench.round(enqueueSeconds));
        out.put("apply_s", Bench.round((System.nanoTime() - t1) / 1e9));
        out.put("applied", applied);
        out.put("runs", runs);
        out.put("submission_ids", submissionIds);
        if (applied < packages) {
            throw new IllegalStateException("only " + applied + " of " + packages + " submissions applied: " + runs);
        }
        return out;
    }
}
