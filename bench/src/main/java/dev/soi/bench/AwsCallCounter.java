package dev.soi.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

/**
 * Counts the AWS operations the SDK clients it is added to start, as {@code Service.Operation} ({@code S3.GetObject},
 * {@code Athena.GetQueryExecution}), the statements started on Athena (each one's first line) and the bytes each
 * finished query scanned, as Athena reports them in {@code GetQueryExecution}: what a run or one GET costs in AWS
 * calls. A retry the SDK makes inside one operation is not a second operation, as AWS bills and throttles per request
 * it receives; the stand-ins here do not throttle, so none happen. Thread-safe; {@link #reset()} starts a new count.
 */
final class AwsCallCounter implements ExecutionInterceptor {
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final Map<String, Long> scanned = new ConcurrentHashMap<>();
    private final List<String> statements = new ArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(name, n -> new LongAdder()).increment();
        if (context.request() instanceof StartQueryExecutionRequest start) {
            synchronized (statements) {
                statements.add(start.queryString().lines().findFirst().orElse(""));
            }
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.response() instanceof GetQueryExecutionResponse response) {
            QueryExecutionState state = response.queryExecution().status().state();
            if (state == QueryExecutionState.SUCCEEDED || state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
                Long bytes = response.queryExecution().statistics() == null ? null
                        : response.queryExecution().statistics().dataScannedInBytes();
                scanned.put(response.queryExecution().queryExecutionId(), bytes == null ? 0 : bytes);
            }
        }
    }

    void reset() {
        calls.clear();
        scanned.clear();
        synchronized (statements) {
            statements.clear();
        }
    }

    /** Calls by operation since the last reset, sorted by name. */
    Map<String, Long> calls() {
        return snapshot();
    }

    /** Every operation counted since the last reset, sorted by name. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((name, n) -> out.put(name, n.sum()));
        return out;
    }

    long calls(String operation) {
        LongAdder n = calls.get(operation);
        return n == null ? 0 : n.sum();
    }

    /** Calls of every operation of {@code service} whose name starts with one of {@code prefixes}. */
    long calls(String service, String... prefixes) {
        long n = 0;
        for (Map.Entry<String, LongAdder> e : calls.entrySet()) {
            for (String prefix : prefixes) {
                if (e.getKey().startsWith(service + "." + prefix)) {
                    n += e.getValue().sum();
                    break;
                }
            }
        }
        return n;
    }

    long bytesScanned() {
        return scanned.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The first line of each statement started since the last reset, in order. */
    List<String> statements() {
        synchronized (statements) {
            return List.copyOf(statements);
        }
    }

    /** Per operation, {@code after - before} divided by {@code requests}, to two decimals. */
    static Map<String, Double> perRequest(Map<String, Long> before, Map<String, Long> after, long requests) {
        Map<String, Double> out = new TreeMap<>();
        after.forEach((name, n) -> {
            long delta = n - before.getOrDefault(name, 0L);
            if (delta > 0) {
                out.put(name, Bench.round((double) delta / Math.max(1, requests)));
            }
        });
        return out;
    }
}
