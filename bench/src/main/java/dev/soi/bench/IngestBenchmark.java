package dev.soi.bench;

import dev.soi.api.security.LocalTokens;
import dev.soi.local.LocalHome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.springframework.context.ConfigurableApplicationContext;

/** API POST throughput and latency on the local stack, each request's SQS send included: 8 clients, 1×100 and 20×100 ids. */
final class IngestBenchmark {
    private IngestBenchmark() {}

    static Map<String, Object> run(int seconds) throws Exception {
        Path home = Files.createTempDirectory("soi-bench-ingest");
        // No scheduled run during the measurement (a property set here would be overwritten by the launcher's).
        ConfigurableApplicationContext stack = dev.soi.local.BenchAccess.start(new LocalHome(home), Duration.ofHours(1));
        try {
            String port = stack.getEnvironment().getProperty("local.server.port");
            String token = LocalTokens.mint(new LocalHome(home).jwtSecret(), "bench", List.of("AE"), Duration.ofHours(1));
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("1_package_x_100_ids", load(port, token, body(1), seconds));
            results.put("20_packages_x_100_ids", load(port, token, body(20), seconds));
            return results;
        } finally {
            stack.close();
            Bench.deleteTree(home);
        }
    }

    private static String body(int packages) {
        SplittableRandom random = new SplittableRandom(packages);
        StringBuilder out = new StringBuilder("{\"packages\":[");
        for (int p = 0; p < packages; p++) {
            out.append(p == 0 ? "" : ",").append("{\"package_name\":\"job_").append(p).append("\",\"reference_ids\":[");
            out.append(LongStream.generate(() -> 1 + random.nextLong(50_000_000L)).limit(100)
                    .mapToObj(Long::toString).collect(Collectors.joining(",")));
            out.append("]}");
        }
        return out.append("]}").toString();
    }

    private static Map<String, Object> load(String port, String token, String body, int seconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(16)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/security-of-interest/AE"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        for (int i = 0; i < 200; i++) {
            http.send(request, HttpResponse.BodyHandlers.discarding()); // warm-up
        }
        int clients = 8;
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<long[]> latencies = new ArrayList<>();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<long[]>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                long[] own = new long[1 << 20];
                int n = 0;
                while (System.nanoTime() < end && n < own.length) {
                    long t0 = System.nanoTime();
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    own[n++] = System.nanoTime() - t0;
                    if (status != 202) {
                        failures.incrementAndGet();
                    }
                }
                return Arrays.copyOf(own, n);
            }));
        }
        for (Future<long[]> f : futures) {
            latencies.add(f.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("clients", clients);
        result.put("requests", all.length);
        result.put("non_202", failures.get());
        result.put("requests_per_second", Math.round(all.length / elapsed));
        result.put("p50_ms", Bench.round(all[all.length / 2] / 1e6));
        result.put("p99_ms", Bench.round(all[(int) (all.length * 0.99)] / 1e6));
        return result;
    }
}
