package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.domain.StorageLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

/**
 * Step {@code bootstrap}: creates the database, the PIT table and the latest table (at the empty initial
 * version) if missing. Idempotent; takes no lease, since it changes no data.
 */
public final class Bootstrap implements Tasklet {
    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private final BatchPorts ports;

    public Bootstrap(BatchPorts ports) {
        this.ports = requireNonNull(ports, "ports");
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        ports.engine().execute(ports.statements().createDatabase());
        ports.engine().execute(ports.statements().createPitTable());
        ports.engine().execute(ports.statements().createLatestTable(
                StorageLayout.latestVersionPrefix(StorageLayout.LATEST_EMPTY_VERSION)));
        log.info("bootstrap: database {} and tables ready", ports.statements().database());
        return RepeatStatus.FINISHED;
    }
}
