package dev.soi.batch.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.soi.batch.BatchApplication;
import dev.soi.batch.BatchCommands;
import dev.soi.batch.ops.RunSummary;
import dev.soi.batch.ops.StackStatus;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Lambda entry point, for EventBridge Scheduler or a manual invoke with
 * {@code {"command":"run"|"rebuild-latest"|"bootstrap"|"compact"|"status"|"dlq-list"|"dlq-redrive","full":false}}
 * (command defaults to {@code run}); {@code rebuild-latest} takes {@code "full":true}, {@code compact} takes
 * {@code "through":"2026-11-23"}, its last day (by default the last closed day), and {@code dlq-redrive} takes
 * {@code "all":true} or {@code "submission_ids":["…"]}. {@code status} and {@code dlq-list} are answered by plain
 * services that only read; the other commands run their job.
 * Starts the Spring context once per container, on the first invocation, and keeps it for warm starts. Returns
 * the run summary as a map, its first key {@code summary} a sentence saying what happened; a FAILED run throws,
 * so the invocation counts as an error and the scheduler's retry and alarms apply.
 *
 * <p>After each command it prints the stack's health as one CloudWatch embedded-metric-format line (namespace
 * {@value #METRICS_NAMESPACE}): seconds since the last published latest version, the oldest unapplied
 * submission's age and the dead-letter depth; after {@code run}, a second line with how many submissions the run applied
 * stamped older than the version already applied for their package ({@code OutOfOrderSubmissions}); after a command that
 * compacted, one more with its compaction figures ({@link #compactionMetrics}). The template's alarms read them.
 * {@code status} answers in every state: what needs an operator is in its {@code problems}, and {@code needs_operator}
 * is true then.
 *
 * <p>Each invocation's remaining time, less {@link LambdaInvocationDeadline#MARGIN}, caps every Athena wait and is
 * the deadline every long step checks before it starts a unit of work ({@link LambdaInvocationDeadline},
 * {@link dev.soi.batch.run.UnitsOfWork}): compaction, bootstrap over existing data and dlq-redrive stop cleanly before
 * it, and the next invocation continues.
 */
public class BatchCommandHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    public static final String METRICS_NAMESPACE = "SecurityOfInterest";
    private static volatile ConfigurableApplicationContext context;
    /** One per container, like the context: the Athena engine reads it, each invocation sets it. */
    static final LambdaInvocationDeadline DEADLINE = new LambdaInvocationDeadline(java.time.Instant::now);

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context lambdaContext) {
        Map<String, Object> request = input == null ? Map.of() : input;
        String command = String.valueOf(request.getOrDefault("command", "run"));
        boolean full = Boolean.parseBoolean(String.valueOf(request.getOrDefault("full", "false")));
        BatchCommands commands = commands();
        if (lambdaContext != null) {
            DEADLINE.begin(lambdaContext.getRemainingTimeInMillis());
        }
        try {
            if (command.equals("status")) {
                StackStatus status = commands.status();
                System.out.println(metrics(status));
                return status.toMap();
            }
            RunSummary summary = switch (command) {
                case "dlq-list" -> commands.dlqList();
                case "dlq-redrive" -> commands.dlqRedrive(Boolean.parseBoolean(String.valueOf(request.getOrDefault("all", "false"))),
                        submissionIds(request.get("submission_ids")));
                default -> {
                    Object through = request.get("through");
                    yield commands.execute(command, full, through == null || String.valueOf(through).isBlank() ? null
                            : java.time.LocalDate.parse(String.valueOf(through)));
                }
            };
            if (command.equals("run")) {
                System.out.println(runMetrics(summary));
            }
            compactionMetrics(summary).ifPresent(System.out::println);
            try {
                System.out.println(metrics(commands.status()));
            } catch (RuntimeException e) {
                // Health metrics are best effort: the command's own outcome is what the invocation reports.
            }
            if (summary.outcome() == RunSummary.Outcome.FAILED) {
                throw new IllegalStateException(summary.line());
            }
            return summary.toMap();
        } finally {
            DEADLINE.end();
        }
    }

    private static List<String> submissionIds(Object ids) {
        if (ids == null) {
            return List.of();
        }
        if (ids instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(String.valueOf(ids).split(","));
    }

    /** One CloudWatch embedded-metric-format log line with the stack's health. */
    static String metrics(StackStatus status) {
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("_aws", Map.of("Timestamp", status.at().toEpochMilli(), "CloudWatchMetrics", List.of(Map.of(
                "Namespace", METRICS_NAMESPACE, "Dimensions", List.of(List.of()),
                "Metrics", List.of(Map.of("Name", "SecondsSinceLastPublish", "Unit", "Seconds"),
                        Map.of("Name", "LatestStalenessSeconds", "Unit", "Seconds"),
                        Map.of("Name", "OldestUnappliedAgeSeconds", "Unit", "Seconds"),
                        Map.of("Name", "DeadLetterDepth", "Unit", "Count"))))));
        metric.put("SecondsSinceLastPublish", status.latestAgeSeconds() == null ? 0 : status.latestAgeSeconds());
        // What the stale alarm watches: a quiet stack publishes nothing, yet its latest table is current.
        metric.put("LatestStalenessSeconds", status.latestStalenessSeconds() == null ? 0 : status.latestStalenessSeconds());
        metric.put("OldestUnappliedAgeSeconds", status.oldestUnappliedAgeSeconds() == null ? 0 : status.oldestUnappliedAgeSeconds());
        metric.put("DeadLetterDepth", status.deadLettered() == null ? 0 : status.deadLettered());
        return JSON.writeValueAsString(metric);
    }

    /**
     * One embedded-metric line of what a run found: submissions applied although stamped older than the version already
     * applied for their package (an API clock behind). The out-of-order alarm reads it.
     */
    static String runMetrics(RunSummary summary) {
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("_aws", Map.of("Timestamp", System.currentTimeMillis(), "CloudWatchMetrics", List.of(Map.of(
                "Namespace", METRICS_NAMESPACE, "Dimensions", List.of(List.of()),
                "Metrics", List.of(Map.of("Name", "OutOfOrderSubmissions", "Unit", "Count"))))));
        metric.put("OutOfOrderSubmissions", summary.outOfOrder());
        return JSON.writeValueAsString(metric);
    }

    /**
     * The compaction figures of a command that ran {@code compact-partitions}, as one embedded-metric line: partitions set
     * aside after failing twice (the set-aside alarm watches it), failed in this run, and whether it stopped at the
     * invocation's deadline. Empty for a command that did not compact: it knows nothing of the set-aside partitions.
     */
    static java.util.Optional<String> compactionMetrics(RunSummary summary) {
        if (!summary.stepMillis().containsKey("compact-partitions")) {
            return java.util.Optional.empty();
        }
        Map<String, Object> metric = new LinkedHashMap<>();
        metric.put("_aws", Map.of("Timestamp", System.currentTimeMillis(), "CloudWatchMetrics", List.of(Map.of(
                "Namespace", METRICS_NAMESPACE, "Dimensions", List.of(List.of()),
                "Metrics", List.of(Map.of("Name", "CompactionPartitionsSetAside", "Unit", "Count"),
                        Map.of("Name", "CompactionPartitionsFailed", "Unit", "Count"),
                        Map.of("Name", "CompactionStoppedAtDeadline", "Unit", "Count"))))));
        metric.put("CompactionPartitionsSetAside", summary.compaction().setAside());
        metric.put("CompactionPartitionsFailed", summary.compaction().failed());
        metric.put("CompactionStoppedAtDeadline", summary.compaction().stoppedAtDeadline() ? 1 : 0);
        return java.util.Optional.of(JSON.writeValueAsString(metric));
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static BatchCommands commands() {
        ConfigurableApplicationContext current = context;
        if (current == null) {
            synchronized (BatchCommandHandler.class) {
                current = context;
                if (current == null) {
                    SpringApplication application = new SpringApplication(BatchApplication.class);
                    application.setAdditionalProfiles("aws");
                    application.setDefaultProperties(Map.of("spring.batch.job.enabled", "false",
                            "spring.main.web-application-type", "none"));
                    application.addInitializers(ctx -> ctx.getBeanFactory().registerSingleton("soiInvocationDeadline", DEADLINE));
                    current = application.run();
                    context = current;
                }
            }
        }
        return current.getBean(BatchCommands.class);
    }
}
