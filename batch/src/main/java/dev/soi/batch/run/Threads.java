package dev.soi.batch.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs a step's independent tasks on a few daemon threads. */
public final class Threads {
    private Threads() {}

    /**
     * Runs {@code tasks} on at most {@code threads} daemon threads and waits for all. The first failure is
     * rethrown as it was thrown (an {@link Error} stays an Error: a simulated crash must look like one), and
     * only once every other task has stopped: tasks are interrupted and must return when they see it, so no
     * task of a failed step keeps working (a receiver would otherwise go on hiding messages from the next run), and
     * none that had not started yet starts.
     */
    public static void run(String name, int threads, List<Runnable> tasks) {
        if (tasks.size() == 1) {
            tasks.get(0).run();
            return;
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, tasks.size())), r -> {
            Thread thread = new Thread(r, "soi-" + name + "-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            // A task not yet started when another failed never starts: shutdownNow() comes only once the failure
            // is seen, and a free thread could take the next task before that.
            AtomicBoolean failed = new AtomicBoolean();
            List<Future<?>> running = new ArrayList<>();
            for (Runnable task : tasks) {
                running.add(pool.submit(() -> {
                    if (failed.get()) {
                        return;
                    }
                    try {
                        task.run();
                    } catch (RuntimeException | Error e) {
                        failed.set(true);
                        throw e;
                    }
                }));
            }
            for (Future<?> task : running) {
                task.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + " interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
            awaitStopped(name, pool);
        }
    }

    private static void awaitStopped(String name, ExecutorService pool) {
        try {
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException(name + " tasks did not stop within a minute of being interrupted");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
