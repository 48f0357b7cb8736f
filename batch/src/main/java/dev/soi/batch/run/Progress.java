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

    public void maybeLog() {
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= intervalNanos && lastLog.compareAndSet(last, now)) {
            log.info("{}: progress: {}", run, figures.get());
        }
    }
}
