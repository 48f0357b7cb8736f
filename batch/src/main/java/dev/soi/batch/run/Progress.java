package dev.soi.batch.run;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs a long step's progress at most once per interval; safe to call from several threads. */
public final class Progress {
    private static final Logger log = LoggerFactory.getLogger(Progress.class);

    private final RunContext run;
    private final long intervalNanos;
    private final Supplier<String> figures;
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime());

    public Progress(RunContext run, Duration interval, Supplier<String> figures) {
        this.run = run;
        this.intervalNanos = interval.toNanos();
        this.figures = figures;
    }

    /**
     * How far a job of {@code total} like parts is, in words: {@code 3 of 20 units done, about 4 min left}, the time
     * left at the pace {@code spent} on the {@code done} ones shows (none said before the first is done).
     */
    public static String doneOfTotal(long done, long total, String parts, Duration spent) {
        String figures = done + " of " + total + " " + parts + " done";
        if (done == 0 || done >= total) {
            return figures;
        }
        long secondsLeft = spent.toMillis() * (total - done) / done / 1000;
        return figures + ", about " + (secondsLeft < 90 ? secondsLeft + " s" : (secondsLeft + 30) / 60 + " min") + " left";
    }

    public void maybeLog() {
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= intervalNanos && lastLog.compareAndSet(last, now)) {
            log.info("{}: progress: {}", run, figures.get());
        }
    }
}
