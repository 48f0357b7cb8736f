package dev.soi.batch.job;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Spring Batch's resourceless job repository, safe for the two branches of {@code run}'s split flow: the base
 * class numbers step executions with a plain counter and adds them to the job execution's unsynchronized list, so
 * two steps starting at once could share an id or lose one (and with it the failure a crash left there, which the
 * lifecycle must see). Every step-execution method here holds the repository's lock (but the deprecated
 * two-id lookup, which the job does not call).
 */
public final class ResourcelessSplitRepository extends ResourcelessJobRepository {

    @Override
    public synchronized StepExecution createStepExecution(String stepName, JobExecution jobExecution) {
        return super.createStepExecution(stepName, jobExecution);
    }

    @Override
    public synchronized StepExecution getStepExecution(long stepExecutionId) {
        return super.getStepExecution(stepExecutionId);
    }

    @Override
    public synchronized StepExecution getLastStepExecution(JobInstance jobInstance, String stepName) {
        return super.getLastStepExecution(jobInstance, stepName);
    }

    @Override
    public synchronized long getStepExecutionCount(JobInstance jobInstance, String stepName) {
        return super.getStepExecutionCount(jobInstance, stepName);
    }

    @Override
    public synchronized void update(StepExecution stepExecution) {
        super.update(stepExecution);
    }

    @Override
    public synchronized void updateExecutionContext(StepExecution stepExecution) {
        super.updateExecutionContext(stepExecution);
    }

    @Override
    public synchronized void update(JobExecution jobExecution) {
        super.update(jobExecution);
    }

    @Override
    public synchronized void updateExecutionContext(JobExecution jobExecution) {
        super.updateExecutionContext(jobExecution);
    }
}
