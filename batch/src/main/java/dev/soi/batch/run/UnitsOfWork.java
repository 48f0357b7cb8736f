package dev.soi.batch.run;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The units of work of one long step (a partition compacted, a batch of partitions registered, a batch of dead letters
 * sent back) against the invocation's deadline ({@link BatchPorts#deadline()}, a Lambda's remaining time less a margin).
 * A step asks {@link #timeForNext()} before each unit and stops cleanly when it says no, leaving the rest for the next
 * invocation, which finds it where this one left it (what is left is in the store, not here). After each unit it calls
 * {@link #done}: one log line (the Lambda's log gets one line per unit) and one {@link ProgressListener.Update}.
 *
 * <p>A unit may start when the invocation has at least as long left as the longest unit so far took, and, before any
 * finished, the step's first estimate. Without a deadline (a process that is not a Lambda) every unit may start. Time is
 * the ports' clock. Not thread-safe: one step on one thread.
 */
public final class UnitsOfWork {
    private static final Logger log = LoggerFactory.getLogger(UnitsOfWork.class);

    private final BatchPorts ports;
    private final RunContext run;
    private final String step;
    private final String noun;
    private final int total;
    private final Duration firstEstimate;
    private Instant started;
    private Instant unitStarted;
    private Duration longest = Duration.ZERO;
    private int done;
    private boolean stopped;

    /**
     * @param noun          what a unit is, plural, for the log ({@code partitions})
     * @param total         how many units the step sets out to do; 0 when it does not know in advance
     * @param firstEstimate how long a unit may take, until one has taken longer
     */
    public UnitsOfWork(BatchPorts ports, RunContext run, String step, String noun, int total, Duration firstEstimate) {
        this.ports = requireNonNull(ports, "ports");
        this.run = requireNonNull(run, "run");
        this.step = requireNonNull(step, "step");
        this.noun = requireNonNull(noun, "noun");
        checkArgument(total >= 0, "total must be >= 0: %d", total);
        this.total = total;
        this.firstEstimate = requireNonNull(firstEstimate, "first estimate");
    }

    /**
     * Whether the next unit may start: the invocation has time for it. A no is final: the step stops, and this logs
     * once what it leaves for the next invocation.
     */
    public boolean timeForNext() {
        if (stopped) {
            return false;
        }
        Instant now = ports.clock().instant();
        Optional<Duration> left = invocationLeft(now);
        Duration needed = longest.compareTo(firstEstimate) > 0 ? longest : firstEstimate;
        if (left.isPresent() && left.get().compareTo(needed) < 0) {
            stopped = true;
            report(null, now);
            return false;
        }
        begin();
        return true;
    }

    /**
     * A unit starts that the step admitted by its own rule (the latest table's full build: half as much time again as its
     * longest unit, and always its first): no deadline check here, only the bookkeeping {@link #done} reports from.
     */
    public void begin() {
        Instant now = ports.clock().instant();
        if (started == null) {
            started = now;
        }
        unitStarted = now;
    }

    /** The unit {@code unit} (its name, for the log) is done. */
    public void done(String unit) {
        checkArgument(unitStarted != null, "%s: a unit was done without timeForNext()", step);
        Instant now = ports.clock().instant();
        Duration took = Duration.between(unitStarted, now);
        if (took.compareTo(longest) > 0) {
            longest = took;
        }
        unitStarted = null;
        done++;
        report(unit, now);
    }

    /** Whether the step stopped at the deadline with work left. */
    public boolean stoppedAtDeadline() {
        return stopped;
    }

    public int done() {
        return done;
    }

    private Optional<Duration> invocationLeft(Instant now) {
        return ports.deadline().deadline().map(deadline -> Duration.between(now, deadline));
    }

    private void report(String unit, Instant now) {
        Duration elapsed = started == null ? Duration.ZERO : Duration.between(started, now);
        Duration estimatedLeft = total > 0 && done > 0 ? elapsed.dividedBy(done).multipliedBy(Math.max(0, total - done)) : null;
        ProgressListener.Update update = new ProgressListener.Update(step, unit, noun, done, total, elapsed, estimatedLeft,
                invocationLeft(now).orElse(null), unit == null);
        log.info("{}: {}", run, update.line());
        try {
            run.progress().progressed(update);
        } catch (RuntimeException e) {
            log.warn("{}: a progress listener failed; the work goes on: {}", run, e.toString());
        }
    }
}
