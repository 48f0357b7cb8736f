package dev.soi.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the AWS operations the SDK clients it is added to start, as {@code Service.Operation} ({@code S3.GetObject},
 * {@code Athena.GetQueryExecution}): what one GET costs in AWS calls. A retry the SDK makes inside one operation is not
 * a second operation, as AWS bills and throttles per request it receives; the stand-ins here do not throttle, so none
 * happen. Thread-safe.
 */
final class AwsCallCounter implements ExecutionInterceptor {
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String name = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    /** Every operation counted so far, sorted by name. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((name, n) -> out.put(name, n.sum()));
        return out;
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
