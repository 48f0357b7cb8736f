package dev.soi.bench;

import dev.soi.api.security.LocalTokens;
import dev.soi.local.BenchAccess;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Freshness: how long after its 202 a submission is returned by {@code GET …/packages/{name}}, on the real local
 * stack ({@code ./soi local}'s Spring context, its in-process scheduler at the given schedule). One submission a
 * second, each a new package, for the given seconds; then up to two schedule periods more for the last ones to land.
 *
 * <p>Visibility is polled cheaply so the poller does not compete with the batch for the CPU: the oldest pending
 * package every {@value #POLL_MILLIS} ms; when it shows up (a run published), every pending package once; and
 * every pending package every {@value #SWEEP_MILLIS} ms in case one lands before an older one; right after a
 * publication that left some pending, every pending package again at the next poll. A latency is therefore late
 * by at most the poll interval plus the GETs of one pass (or the sweep interval for one that overtook).
 */
final class FreshnessBenchmark {
    private static final long POLL_MILLIS = 100;
    private static final long SWEEP_MILLIS = 5_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private FreshnessBenchmark() {}

    /** One accepted submission: its package, its id, and when its 202 arrived. */
    private record Pending(String packageName, String submissionId, long acceptedNanos) {}

    static Map<String, Object> run(Duration schedule, int seconds) throws Exception {
        Path home = Files.createTempDirectory("soi-bench-freshness");
        ConfigurableApplicationContext stack = BenchAccess.start(new LocalHome(home), schedule);
        try {
            String port = stack.getEnvironment().getProperty("local.server.port");
            String token = LocalTokens.mint(new LocalHome(home).jwtSecret(), "bench", List.of("AE"), Duration.ofHours(2));
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + port + "/api/v1/security-of-interest/AE";
            ConcurrentLinkedQueue<Pending> accepted = new ConcurrentLinkedQueue<>();
            List<Long> postMillis = new ArrayList<>();
            long[] non202 = {0};
            // Let the stack's first scheduled run (bootstrap, then a quiet run) pass, so it is not counted.
            Thread.sleep(Math.min(schedule.toMillis(), 5_000));

            ScheduledExecutorService poster = Executors.newSingleThreadScheduledExecutor();
            long start = System.nanoTime();
            int[] next = {0};
            poster.scheduleAtFixedRate(() -> {
                int i = next[0]++;
                String name = "fresh_" + i;
                String body = "{\"packages\":[{\"package_name\":\"" + name + "\",\"reference_ids\":[" + (i + 1) + "]}]}";
                try {
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    long t202 = System.nanoTime();
                    synchronized (postMillis) {
                        postMillis.add((t202 - t0) / 1_000_000);
                    }
                    if (response.statusCode() != 202) {
                        non202[0]++;
                        return;
                    }
                    accepted.add(new Pending(name, JSON.readTree(response.body()).get("submission_id").asString(), t202));
                } catch (Exception e) {
                    non202[0]++;
                }
            }, 0, 1, TimeUnit.SECONDS);

            List<Pending> pending = new ArrayList<>();
            List<Long> latencies = new ArrayList<>();
            long overtaken = 0;
            long postEnd = start + Duration.ofSeconds(seconds).toNanos();
            long hardEnd = postEnd + schedule.multipliedBy(2).plusSeconds(30).toNanos();
            long nextSweep = System.nanoTime() + SWEEP_MILLIS * 1_000_000;
            boolean posting = true;
            while (System.nanoTime() < hardEnd) {
                if (posting && System.nanoTime() >= postEnd) {
                    poster.shutdown();
                    poster.awaitTermination(30, TimeUnit.SECONDS);
                    posting = false;
                }
                for (Pending p; (p = accepted.poll()) != null; ) {
                    pending.add(p);
                }
                if (!posting && pending.isEmpty()) {
                    break;
                }
                if (!pending.isEmpty()) {
                    boolean sweep = System.nanoTime() >= nextSweep;
                    if (sweep || visible(http, base, token, pending.get(0)) >= 0) {
                        int before = latencies.size();
                        boolean sawGap = false;
                        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                            Pending p = it.next();
                            long at = visible(http, base, token, p);
                            if (at >= 0) {
                                latencies.add((at - p.acceptedNanos()) / 1_000_000);
                                it.remove();
                                if (sawGap && sweep) {
                                    overtaken++;
                                }
                            } else {
                                sawGap = true;
                            }
                        }
                        if (latencies.size() > before && sawGap) {
                            // A run just published, yet some pending package did not show: look again at the next
                            // poll rather than at the next sweep, so a package read a moment too early is not late.
                            nextSweep = System.nanoTime();
                        } else if (sweep || latencies.size() > before) {
                            nextSweep = System.nanoTime() + SWEEP_MILLIS * 1_000_000;
                        }
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            List<Map<String, Object>> runs = CycleBenchmark.runsFrom(new LocalHome(home));

            Map<String, Object> results = new LinkedHashMap<>();
            results.put("schedule_s", schedule.toMillis() / 1000.0);
            results.put("posting_s", seconds);
            results.put("elapsed_s", Math.round(elapsed));
            results.put("submissions_accepted", latencies.size() + pending.size());
            results.put("non_202", non202[0]);
            results.put("visible", latencies.size());
            results.put("never_visible", pending.size());
            results.put("overtaken", overtaken);
            results.put("p50_s", seconds(percentile(sorted, 0.50)));
            results.put("p90_s", seconds(percentile(sorted, 0.90)));
            results.put("p99_s", seconds(percentile(sorted, 0.99)));
            results.put("max_s", seconds(sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
            results.put("min_s", seconds(sorted.length == 0 ? 0 : sorted[0]));
            results.put("post_p50_ms", percentile(postMillis.stream().mapToLong(Long::longValue).sorted().toArray(), 0.50));
            results.put("runs", CycleBenchmark.runStatistics(runs));
            results.put("latencies_ms", Arrays.stream(sorted).boxed().toList());
            return results;
        } finally {
            stack.close();
            Bench.deleteTree(home);
        }
    }

    /** The nano time of a GET that returned the submission, or -1 if it did not (yet). */
    private static long visible(HttpClient http, String base, String token, Pending p) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/packages/" + p.packageName()))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        long at = System.nanoTime();
        if (response.statusCode() != 200) {
            return -1;
        }
        JsonNode body = JSON.readTree(response.body());
        return p.submissionId().equals(body.get("submission_id").asString()) ? at : -1;
    }

    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double seconds(long millis) {
        return Math.round(millis / 10.0) / 100.0;
    }
}
