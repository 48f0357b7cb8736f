package dev.soi.local;

import dev.soi.batch.BatchCommands;
import dev.soi.batch.ops.RunSummary;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * EventBridge Scheduler's stand-in: bootstraps the tables once the stack is up (idempotent, as
 * {@code bootstrap} is in AWS), then starts a batch run every {@code SOI_SCHEDULE}, measured from the end of
 * the previous run so runs never pile up. A failed run is logged and the next one goes ahead: the
 * commit protocol makes a retry safe.
 */
public class LocalScheduler implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(LocalScheduler.class);

    private final BatchCommands commands;
    private final LocalProperties properties;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "soi-scheduler");
        thread.setDaemon(true);
        return thread;
    });

    public LocalScheduler(BatchCommands commands, LocalProperties properties) {
        this.commands = commands;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        RunSummary bootstrap = commands.bootstrap();
        log.info("bootstrap: {}", bootstrap.line());
        long period = properties.schedule().toMillis();
        executor.scheduleWithFixedDelay(this::runOnce, period, period, TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            RunSummary summary = commands.run();
            log.info("scheduled run: {}", summary.line());
        } catch (RuntimeException e) {
            log.error("scheduled run failed; the next one will retry", e);
        }
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
