package dev.soi.batch.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.soi.batch.BatchApplication;
import dev.soi.batch.BatchCommands;
import dev.soi.batch.RunSummary;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Lambda entry point, for EventBridge Scheduler or a manual invoke with
 * {@code {"command":"run"|"rebuild-latest"|"bootstrap"|"compact","full":false,"through":"2026-11-23"}} (command
 * defaults to {@code run}; {@code through} is compact's last day, by default the last closed day).
 * Starts the Spring context once per container, on the first invocation, and keeps it for warm starts.
 * Returns the run summary as a map; a FAILED run throws, so the invocation counts as an error and the
 * scheduler's retry and alarms apply.
 */
public class BatchCommandHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static volatile ConfigurableApplicationContext context;

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context lambdaContext) {
        Map<String, Object> request = input == null ? Map.of() : input;
        String command = String.valueOf(request.getOrDefault("command", "run"));
        boolean full = Boolean.parseBoolean(String.valueOf(request.getOrDefault("full", "false")));
        Object through = request.get("through");
        RunSummary summary = commands().execute(command, full,
                through == null || String.valueOf(through).isBlank() ? null : java.time.LocalDate.parse(String.valueOf(through)));
        if (summary.outcome() == RunSummary.Outcome.FAILED) {
            throw new IllegalStateException(summary.line());
        }
        return summary.toMap();
    }

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
                    current = application.run();
                    context = current;
                }
            }
        }
        return current.getBean(BatchCommands.class);
    }
}
