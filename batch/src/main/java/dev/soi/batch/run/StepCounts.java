package dev.soi.batch.run;

import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;

/**
 * Records what a step did in Spring Batch's own counters, so the job's step executions show it: read (items
 * the step took in), write (items it wrote or changed) and filter (items it only set aside).
 */
public final class StepCounts {
    private StepCounts() {}

    public static void record(StepContribution contribution, long read, long written, long filtered) {
        // StepContribution can add to the write and filter counts in one call, but the read count only one by one.
        StepExecution step = contribution.getStepExecution();
        step.setReadCount(step.getReadCount() + read);
        contribution.incrementWriteCount(written);
        contribution.incrementFilterCount(filtered);
    }
}
