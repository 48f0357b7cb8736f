package dev.soi.batch;

import dev.soi.batch.RunContext.Command;
import dev.soi.core.domain.RunId;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.EventPublisher;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.RunLease;
import dev.soi.core.port.SubmissionQueue;
import dev.soi.core.sql.TableStatements;
import java.time.Clock;
import java.util.function.Supplier;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.builder.SimpleJobBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The batch jobs: {@code materialize}, {@code rebuildLatest} and {@code bootstrap}, one tasklet step per
 * {@link MaterializeRun} step. Import it into any Boot application that provides the port beans
 * ({@link ObjectStore}, {@link SubmissionQueue}, {@link QueryEngine}, {@link EventPublisher},
 * {@link RunLease}), a {@link TableStatements} and a {@link Clock}; optional beans: a
 * {@link SubmissionMessages}, a {@link FaultInjector} and a {@code Supplier<RunId>}. Run jobs through
 * {@link BatchCommands}, with {@code spring.batch.job.enabled=false} so Boot does not start them itself.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BatchProperties.class)
public class BatchJobConfiguration {
    public static final String MATERIALIZE_JOB = "materialize";
    public static final String REBUILD_LATEST_JOB = "rebuildLatest";
    public static final String BOOTSTRAP_JOB = "bootstrap";

    @Bean
    MaterializeRun materializeRun(ObjectStore store, SubmissionQueue queue, QueryEngine engine, EventPublisher events,
                                  RunLease runLease, TableStatements statements, Clock clock, BatchProperties properties,
                                  ObjectProvider<SubmissionMessages> messages, ObjectProvider<FaultInjector> faults,
                                  ObjectProvider<Supplier<RunId>> runIds, Environment environment) {
        return new MaterializeRun(store, queue, engine, events, runLease, statements,
                messages.getIfAvailable(() -> new SubmissionMessages(store)), clock,
                runIds.getIfAvailable(() -> MaterializeRun.randomRunIds(clock)),
                properties.withRegistry(environment.getProperty("soi.business-units")),
                faults.getIfAvailable(() -> FaultInjector.NONE));
    }

    @Bean
    RunContexts runContexts() {
        return new RunContexts();
    }

    @Bean(MATERIALIZE_JOB)
    Job materializeJob(JobRepository repository, MaterializeRun run, RunContexts contexts) {
        return job(MATERIALIZE_JOB, Command.RUN, repository, run, contexts);
    }

    @Bean(REBUILD_LATEST_JOB)
    Job rebuildLatestJob(JobRepository repository, MaterializeRun run, RunContexts contexts) {
        return job(REBUILD_LATEST_JOB, Command.REBUILD_LATEST, repository, run, contexts);
    }

    @Bean(BOOTSTRAP_JOB)
    Job bootstrapJob(JobRepository repository, MaterializeRun run, RunContexts contexts) {
        return job(BOOTSTRAP_JOB, Command.BOOTSTRAP, repository, run, contexts);
    }

    @Bean
    BatchCommands batchCommands(JobOperator operator, MaterializeRun run, RunContexts contexts,
                                @Qualifier(MATERIALIZE_JOB) Job materialize, @Qualifier(REBUILD_LATEST_JOB) Job rebuildLatest,
                                @Qualifier(BOOTSTRAP_JOB) Job bootstrap) {
        return new BatchCommands(operator, run, contexts, materialize, rebuildLatest, bootstrap);
    }

    private static Job job(String name, Command command, JobRepository repository, MaterializeRun run, RunContexts contexts) {
        SimpleJobBuilder builder = null;
        for (MaterializeRun.NamedStep namedStep : run.steps(command)) {
            Step step = new StepBuilder(name + "." + namedStep.name(), repository)
                    .tasklet((contribution, chunk) -> {
                        String token = contribution.getStepExecution().getJobParameters().getString(RunContexts.TOKEN_PARAMETER);
                        run.runStep(contexts.get(token), namedStep);
                        return RepeatStatus.FINISHED;
                    })
                    .build();
            builder = builder == null ? new JobBuilder(name, repository).start(step) : builder.next(step);
        }
        return builder.build();
    }
}
