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
 * {@code {"command":"run"|"rebuild-latest"|"bootstrap","full":false}} (command defaults to {@code run}).
 * Starts the Spring context once per container, on the first invocation, and keeps it for warm starts.
 * Returns the run summary as a map; a FAILED run throws, so the invocation counts as an error and the
 * scheduler's retry and alarms apply. Each invocation's remaining time, less
 * {@link LambdaInvocationDeadline#MARGIN}, caps every Athena wait ({@link LambdaInvocationDeadline}).
 */
public class BatchCommandHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private static volatile ConfigurableApplicationContext context;
    /** One per container, like the context: the Athena engine reads it, each invocation sets it. */
    static final LambdaInvocationDeadline DEADLINE = new LambdaInvocationDeadline(java.time.Instant::now);

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> input, Context lambdaContext) {
        Map<String, Object> request = input == null ? Map.of() : input;
        String command = String.valueOf(request.getOrDefault("command", "run"));
        boolean full = Boolean.parseBoolean(String.valueOf(request.getOrDefault("full", "false")));
        BatchCommands commands = commands();
        RunSummary summary;
        if (lambdaContext != null) {
            DEADLINE.begin(lambdaContext.getRemainingTimeInMillis());
        }
        try {
            summary = commands.execute(command, full);
        } finally {
            DEADLINE.end();
        }
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
                    application.addInitializers(ctx -> ctx.getBeanFactory().registerSingleton("soiInvocationDeadline", DEADLINE));
                    current = application.run();
                    context = current;
                }
            }
        }
        return current.getBean(BatchCommands.class);
    }
}
