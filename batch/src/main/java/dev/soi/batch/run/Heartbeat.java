package dev.soi.batch.run;

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
 * Started by the lease step once the lease is taken, closed by the job's listener when the job ends, a crash included
 * (a crashed process renews nothing). The lease and the visibility have a thread each: extending the visibility of
 * 100,000 held messages is 10,000 calls, which took longer than the lease's minute, and a renewal waiting behind them
 * let the lease expire under a live run.
 *
 * <p>A lost lease is not repaired here: the next fencing check of the run fails, as it must.
 */
public final class Heartbeat implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final HeldLease lease;
    private final HeldMessages messages;
    private final ScheduledExecutorService leaseTimer;
    private final ScheduledExecutorService visibilityTimer;

    public Heartbeat(BatchPorts ports, RunContext run, HeldLease lease, HeldMessages messages) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.lease = requireNonNull(lease, "lease");
        this.messages = requireNonNull(messages, "held messages");
        this.leaseTimer = timer("soi-heartbeat-" + run.runId());
        this.visibilityTimer = timer("soi-visibility-" + run.runId());
    }

    private static ScheduledExecutorService timer(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts beating; the lease must be held. */
    public void start() {
        lease.current();
        long every = ports.properties().heartbeat().toMillis();
        leaseTimer.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
        visibilityTimer.scheduleAtFixedRate(this::extend, every, every, TimeUnit.MILLISECONDS);
    }

    private void renew() {
        try {
            lease.renew();
        } catch (LeaseLostException e) {
            log.warn("{}: lease lost; the run stops at its next fencing check: {}", run, e.getMessage());
            leaseTimer.shutdown();
            visibilityTimer.shutdown();
        } catch (RuntimeException e) {
            // A passing store failure: the lease stays valid until its expiry, and the next beat tries again.
            log.warn("{}: lease renewal failed, retrying at the next beat: {}", run, e.toString());
        }
    }

    private void extend() {
        try {
            // Due: visibility ends within two beats, so one late beat still extends it in time.
            messages.extendDue(ports.queue(), ports.properties().heartbeat().multipliedBy(2), ports.properties().visibilityTimeout());
        } catch (RuntimeException e) {
            // A message that reappears meanwhile is received again and deduplicated; the next beat tries again.
            log.warn("{}: visibility extension failed, retrying at the next beat: {}", run, e.toString());
        }
    }

    /** Stops both threads and waits for a beat in progress; a heartbeat never started just frees its threads. */
    @Override
    public void close() {
        leaseTimer.shutdownNow();
        visibilityTimer.shutdownNow();
        try {
            leaseTimer.awaitTermination(5, TimeUnit.SECONDS);
            visibilityTimer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
