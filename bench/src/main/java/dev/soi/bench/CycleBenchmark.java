package dev.soi.bench;

import dev.soi.api.security.LocalTokens;
import dev.soi.batch.BatchCommands;
import dev.soi.batch.ops.RunSummary;
import dev.soi.local.BenchAccess;
import dev.soi.local.LocalHome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fixed cost of a run on the real local stack: {@code runs} quiet runs (empty queue), then {@code runs} small
 * runs (one submission of one package, POSTed through the API just before). The stack's own schedule is set to a
 * day so that only these runs touch the queue; each is the same {@code run} command the scheduler starts.
 */
final class CycleBenchmark {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CycleBenchmark() {}

    static Map<String, Object> run(int runs) throws Exception {
        Path home = Files.createTempDirectory("soi-bench-cycle");
        ConfigurableApplicationContext stack = BenchAccess.start(new LocalHome(home), Duration.ofDays(1));
        try {
            BatchCommands commands = stack.getBean(BatchCommands.class);
            String port = stack.getEnvironment().getProperty("local.server.port");
            String token = LocalTokens.mint(new LocalHome(home).jwtSecret(), "bench", List.of("AE"), Duration.ofHours(2));
            HttpClient http = HttpClient.newHttpClient();
            URI submit = URI.create("http://127.0.0.1:" + port + "/api/v1/security-of-interest/AE");
            for (int i = 0; i < 3; i++) {
                commands.run(); // warm-up: class loading and the first DuckDB connection are not a run's fixed cost
            }
            List<RunSummary> quiet = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                quiet.add(commands.run());
            }
            List<RunSummary> small = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                String body = "{\"packages\":[{\"package_name\":\"cycle_" + i + "\",\"reference_ids\":[" + (i + 1) + "]}]}";
                int status = http.send(HttpRequest.newBuilder(submit).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 202) {
                    throw new IllegalStateException("POST answered " + status);
                }
                small.add(commands.run());
            }
            Map<String, Object> results = new LinkedHashMap<>();
            results.put("runs_each", runs);
            results.put("quiet", statistics(quiet, 0));
            results.put("small", statistics(small, 1));
            return results;
        } finally {
            stack.close();
            Bench.deleteTree(home);
        }
    }

    /** Duration figures of runs that each should have applied {@code applied} submissions, with their median steps. */
    private static Map<String, Object> statistics(List<RunSummary> runs, int applied) {
        long[] durations = runs.stream().mapToLong(RunSummary::durationMillis).sorted().toArray();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("completed", runs.stream().filter(r -> r.outcome() == RunSummary.Outcome.COMPLETED).count());
        out.put("applied_as_expected", runs.stream().filter(r -> r.submissionsApplied() == applied).count());
        out.put("p50_ms", FreshnessBenchmark.percentile(durations, 0.5));
        out.put("mean_ms", Math.round(runs.stream().mapToLong(RunSummary::durationMillis).average().orElse(0)));
        out.put("max_ms", durations.length == 0 ? 0 : durations[durations.length - 1]);
        Map<String, Object> steps = new LinkedHashMap<>();
        if (!runs.isEmpty()) {
            for (String step : runs.get(0).stepMillis().keySet()) {
                long[] each = runs.stream().mapToLong(r -> r.stepMillis().getOrDefault(step, 0L)).sorted().toArray();
                steps.put(step, FreshnessBenchmark.percentile(each, 0.5));
            }
        }
        out.put("step_p50_ms", steps);
        out.put("last_sentence", runs.isEmpty() ? "" : runs.get(runs.size() - 1).sentence());
        return out;
    }

    /** The scheduled runs a stack published in its home's event log ({@code events.jsonl}). */
    static List<Map<String, Object>> runsFrom(LocalHome home) throws IOException {
        List<Map<String, Object>> runs = new ArrayList<>();
        Path events = home.events();
        if (!Files.exists(events)) {
            return runs;
        }
        for (String line : Files.readAllLines(events)) {
            JsonNode detail = JSON.readTree(line).get("detail");
            if (detail == null || !"run".equals(detail.get("command").asString())) {
                continue;
            }
            Map<String, Object> run = new LinkedHashMap<>();
            run.put("submissions", detail.get("submissions").asLong());
            run.put("duration_ms", detail.get("duration_ms").asLong());
            runs.add(run);
        }
        return runs;
    }

    /** Count, median and maximum duration of the quiet runs and of the runs that applied something. */
    static Map<String, Object> runStatistics(List<Map<String, Object>> runs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (boolean quiet : new boolean[] {true, false}) {
            long[] durations = runs.stream().filter(r -> ((Long) r.get("submissions") == 0) == quiet)
                    .mapToLong(r -> (Long) r.get("duration_ms")).sorted().toArray();
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("count", durations.length);
            one.put("p50_ms", FreshnessBenchmark.percentile(durations, 0.5));
            one.put("max_ms", durations.length == 0 ? 0 : durations[durations.length - 1]);
            out.put(quiet ? "quiet" : "applied", one);
        }
        out.put("submissions_per_applying_run_p50", FreshnessBenchmark.percentile(runs.stream()
                .mapToLong(r -> (Long) r.get("submissions")).filter(n -> n > 0).sorted().toArray(), 0.5));
        return out;
    }
}
