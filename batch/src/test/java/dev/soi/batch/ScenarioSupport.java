package dev.soi.batch;

import dev.soi.batch.run.BatchProperties;
import dev.soi.batch.run.FaultInjector;
import dev.soi.batch.testing.BatchFixture;
import dev.soi.batch.testing.SabotagedVerificationEngine;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.message.SubmissionMessages;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.SubmissionQueue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.batch.core.step.StepExecution;

/**
 * What every batch scenario class shares: a fresh fixture per test, bootstrapped; the batch's commands over it, each
 * call a new execution as the scheduler starts one; the submissions sent, kept to compute what the tables must hold;
 * and the wait until a crashed run's claims are free. A subclass supplies the fixture, on the fakes, the embedded
 * stand-ins or Trino.
 */
public abstract class ScenarioSupport {
    protected static final Instant START = Instant.parse("2026-11-23T03:00:00Z");

    protected BatchFixture fixture;
    /** The fixture's engine behind a switch that can spoil the next verification answer; inert unless armed. */
    protected SabotagedVerificationEngine engine;
    protected SubmissionMessages messages;
    protected final Random random;
    protected final List<Submission> sent = new ArrayList<>();

    /** @param seed of the submission and run ids, so a scenario's ids are the same at every run of it */
    protected ScenarioSupport(long seed) {
        this.random = new Random(seed);
    }

    /** A fresh, empty fixture whose clock starts at {@link #START}. */
    protected abstract BatchFixture newFixture() throws Exception;

    @BeforeEach
    void setUpFixture() throws Exception {
        fixture = newFixture();
        engine = new SabotagedVerificationEngine(fixture.engine());
        messages = new SubmissionMessages(fixture.store());
        newRun(FaultInjector.NONE).bootstrap();
        fixture.clearStatements();
    }

    @AfterEach
    void closeFixture() throws Exception {
        if (fixture != null) { // null when a fixture's engine was unavailable and the test was skipped
            fixture.close();
        }
    }

    protected BatchProperties properties() {
        return BatchProperties.builder().units("AE", "CMF", "FX").build();
    }

    /** The batch as the Lambda and the local stack run it: its commands, each a Spring Batch job or a service. */
    protected BatchCommands newRun(FaultInjector faults) {
        return newRun(faults, properties());
    }

    protected BatchCommands newRun(FaultInjector faults, BatchProperties properties) {
        return newRun(faults, properties, fixture.queue());
    }

    /** As {@link #newRun(FaultInjector, BatchProperties)}, the run receiving through {@code queue}. */
    protected BatchCommands newRun(FaultInjector faults, BatchProperties properties, SubmissionQueue queue) {
        return newRun(faults, properties, queue, engine);
    }

    /** As {@link #newRun(FaultInjector, BatchProperties, SubmissionQueue)}, the run's statements going to {@code engine}. */
    protected BatchCommands newRun(FaultInjector faults, BatchProperties properties, SubmissionQueue queue, QueryEngine engine) {
        return fixture.commands(engine, queue, messages, new Random(random.nextLong()), properties, faults);
    }

    /** Enqueues a submission accepted {@code after} the clock's current time. */
    protected Submission send(String unit, Duration after, PackageChange... changes) {
        return sendAt(unit, fixture.clock().instant().plus(after), changes);
    }

    /** Enqueues a submission accepted at {@code at}. */
    protected Submission sendAt(String unit, Instant at, PackageChange... changes) {
        Submission submission = new Submission(SubmissionId.generate(at, random), at, "alice", BusinessUnit.of(unit),
                Arrays.asList(changes));
        enqueue(submission);
        return submission;
    }

    /** Enqueues {@code submission}, again if it was sent before (a redelivery). */
    protected void enqueue(Submission submission) {
        fixture.queue().enqueue(List.of(messages.toMessage(submission, fixture.queue().maxMessageBytes())));
        if (sent.stream().noneMatch(s -> s.id().equals(submission.id()))) {
            sent.add(submission);
        }
    }

    /** The next scheduled run after a crash: 90 s later, the bound the heartbeat's lease and visibility promise. */
    protected void passCrashedLease() {
        fixture.clock().advance(Duration.ofSeconds(90));
        fixture.awaitRedelivery();
    }

    protected static List<String> stepNames(BatchCommands.Launched launched) {
        return launched.execution().getStepExecutions().stream().map(StepExecution::getStepName).toList();
    }

    protected static StepExecution step(BatchCommands.Launched launched, String name) {
        return launched.execution().getStepExecutions().stream().filter(s -> s.getStepName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + name + " in " + stepNames(launched)));
    }
}
