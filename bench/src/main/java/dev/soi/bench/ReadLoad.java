package dev.soi.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A closed-loop load of GETs: {@code clients} threads, each sending its next request as soon as its last one answered,
 * until {@code requests} have been sent; the latency of each, from before the call until its answer was read. Request
 * {@code i} is chosen by {@code i} alone (the caller's {@link Get}), so both paths of one run read the same mix. Also
 * this JVM's CPU time per request, which other load on the machine changes far less than it changes latency.
 */
final class ReadLoad {
    private ReadLoad() {}

    /** One request; {@code i} picks what it reads. Returns whether the answer was the expected one (a 200 with a body). */
    @FunctionalInterface
    interface Get {
        boolean get(int i) throws Exception;
    }

    /** What a read's request {@code i} is: the three GETs of the API in turn. */
    enum Kind {
        PACKAGE, PAGE, STATUS;

        static Kind of(int i) {
            return values()[Math.floorMod(i, 3)];
        }
    }

    /**
     * Runs {@code requests} GETs on {@code clients} threads, after {@code warmUp} unrecorded ones on one thread; returns
     * p50/p99/max/mean in ms, per kind p50, the failures, and the AWS calls per GET by operation ({@code calls}' counts
     * before and after, divided by the requests).
     */
    static Map<String, Object> measure(int clients, int requests, int warmUp, Get get, Supplier<Map<String, Long>> calls)
            throws Exception {
        for (int i = 0; i < warmUp; i++) {
            get.get(requests + i);
        }
        Map<String, Long> before = calls.get();
        long cpuBefore = processCpuNanos();
        long serverBefore = serverThreadsCpuNanos();
        long[] nanos = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        List<String> firstFailure = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < requests; ) {
                    long t0 = System.nanoTime();
                    boolean ok;
                    try {
                        ok = get.get(i);
                    } catch (Exception e) {
                        ok = false;
                        synchronized (firstFailure) {
                            if (firstFailure.isEmpty()) {
                                firstFailure.add(e.toString());
                            }
                        }
                    }
                    nanos[i] = System.nanoTime() - t0;
                    if (!ok) {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = processCpuNanos() - cpuBefore;
        long server = serverThreadsCpuNanos() - serverBefore;
        pool.shutdown();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("clients", clients);
        out.put("requests", requests);
        out.putAll(statistics(nanos, 0, 1));
        Map<String, Object> byKind = new LinkedHashMap<>();
        for (Kind kind : Kind.values()) {
            byKind.put(kind.name().toLowerCase(java.util.Locale.ROOT) + "_p50_ms", statistics(nanos, kind.ordinal(), 3).get("p50_ms"));
        }
        out.put("by_kind", byKind);
        out.put("throughput_per_s", Bench.round(requests / seconds));
        // Far less sensitive to other load on the machine than latency: what each GET costs this JVM's cores.
        out.put("jvm_cpu_ms_per_get", Bench.round(cpu / 1e6 / requests));
        // Of which the server's request threads (Tomcat's, when the server runs in this JVM): the rest is the clients,
        // the collector and the compiler.
        out.put("server_threads_cpu_ms_per_get", Bench.round(server / 1e6 / requests));
        out.put("failed", failed.get());
        if (!firstFailure.isEmpty()) {
            out.put("first_failure", firstFailure.get(0));
        }
        out.put("aws_calls_per_get", AwsCallCounter.perRequest(before, calls.get(), requests));
        return out;
    }

    /** This JVM's CPU time so far: the clients, the server when it runs here, its collector and its compiler. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The CPU time so far of this JVM's Tomcat request threads (none when the server runs elsewhere). */
    private static long serverThreadsCpuNanos() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("http-nio-")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    /** p50/p99/max/mean in ms of every {@code step}-th latency from {@code from}. */
    private static Map<String, Object> statistics(long[] nanos, int from, int step) {
        long[] picked = new long[(nanos.length - from + step - 1) / step];
        for (int i = from, j = 0; i < nanos.length; i += step, j++) {
            picked[j] = nanos[i];
        }
        Arrays.sort(picked);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("p50_ms", millis(FreshnessBenchmark.percentile(picked, 0.50)));
        out.put("p99_ms", millis(FreshnessBenchmark.percentile(picked, 0.99)));
        out.put("max_ms", millis(picked.length == 0 ? 0 : picked[picked.length - 1]));
        out.put("mean_ms", millis((long) Arrays.stream(picked).average().orElse(0)));
        return out;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
