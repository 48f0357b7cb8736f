package dev.soi.batch.run;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/** Step durations, read from Spring Batch's own step executions. */
public final class StepTimings {
    private StepTimings() {}

    /** Milliseconds of every step of {@code execution} that has ended, by step name, in the order they ran. */
    public static Map<String, Long> finished(JobExecution execution) {
        Map<String, Long> millis = new LinkedHashMap<>();
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStartTime() != null && step.getEndTime() != null) {
                millis.merge(step.getStepName(), Duration.between(step.getStartTime(), step.getEndTime()).toMillis(), Long::sum);
            }
        }
        return millis;
    }
}
