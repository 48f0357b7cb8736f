package dev.soi.batch.job;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.LeaseLostException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a live run's claims alive in the background: every {@code heartbeat} it renews the run lease (so a dead
 * run blocks others for at most {@code leaseTtl}, about a minute, not for its whole budget) and extends the
 * visibility of the messages it holds that would otherwise reappear before the next beat ({@link HeldMessages}).
 * Started
 * by the lease step, stopped by {@link RunLifecycle} when the job ends, a crash included (a crashed process
 * renews nothing). Renewals are serialised, so a renewal never races another.
 *
 * <p>A lost lease is not repaired here: the next fencing check of the run fails, as it must.
 */
final class Heartbeat implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final BatchPorts ports;
    private final RunState run;
    private final ScheduledExecutorService timer;

    private Heartbeat(BatchPorts ports, RunState run) {
        this.ports = ports;
        this.run = run;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "soi-heartbeat-" + run.runId());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts beating for {@code run}, whose lease is already taken. */
    static Heartbeat start(BatchPorts ports, RunState run) {
        requireNonNull(run.lease(), "lease");
        Heartbeat heartbeat = new Heartbeat(ports, run);
        long every = ports.properties().heartbeat().toMillis();
        heartbeat.timer.scheduleAtFixedRate(heartbeat::beat, every, every, TimeUnit.MILLISECONDS);
        return heartbeat;
    }

    private synchronized void beat() {
        try {
            run.lease(ports.lease().renew(run.lease(), ports.properties().leaseTtl()));
            // Due: visibility ends within two beats, so one late beat still extends it in time.
            run.held().extendDue(ports.queue(), ports.properties().heartbeat().multipliedBy(2), ports.properties().visibilityTimeout());
        } catch (LeaseLostException e) {
            log.warn("{} {}: lease lost; the run stops at its next fencing check: {}", run.command().label(), run.runId(),
                    e.getMessage());
            timer.shutdown();
        } catch (RuntimeException e) {
            // A passing store failure: the lease stays valid until its expiry, and the next beat tries again.
            log.warn("{} {}: heartbeat failed, retrying at the next beat: {}", run.command().label(), run.runId(), e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
