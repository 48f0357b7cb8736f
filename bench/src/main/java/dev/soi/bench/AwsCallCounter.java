package dev.soi.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.athena.model.GetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

/**
 * Counts the AWS calls of the clients it is added to, by service and operation ({@code S3.ListObjectsV2}), the
 * statements started on Athena (each one's first line) and the bytes each finished query scanned, as Athena
 * reports them in {@code GetQueryExecution}. Thread-safe; {@link #reset()} starts a new count.
 */
final class AwsCallCounter implements ExecutionInterceptor {
    private final Map<String, Long> calls = new ConcurrentHashMap<>();
    private final Map<String, Long> scanned = new ConcurrentHashMap<>();
    private final List<String> statements = new ArrayList<>();

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        calls.merge(operation, 1L, Long::sum);
        if (context.request() instanceof StartQueryExecutionRequest start) {
            synchronized (statements) {
                statements.add(start.queryString().lines().findFirst().orElse(""));
            }
        }
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
        return new TreeMap<>(calls);
    }

    long calls(String operation) {
        return calls.getOrDefault(operation, 0L);
    }

    /** Calls of every operation of {@code service} whose name starts with one of {@code prefixes}. */
    long calls(String service, String... prefixes) {
        long n = 0;
        for (Map.Entry<String, Long> e : calls.entrySet()) {
            for (String prefix : prefixes) {
                if (e.getKey().startsWith(service + "." + prefix)) {
                    n += e.getValue();
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
}
