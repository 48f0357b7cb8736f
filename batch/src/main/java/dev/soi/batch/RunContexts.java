package dev.soi.batch;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands each Spring Batch job execution its {@link RunContext}: {@link BatchCommands} registers a context
 * under a fresh token, passes the token as a job parameter, and the tasklets look it up. Holding the
 * context here rather than in the job's ExecutionContext keeps it out of the (resourceless) job
 * repository, which would otherwise try to copy it.
 */
public final class RunContexts {
    public static final String TOKEN_PARAMETER = "run.token";

    private final Map<String, RunContext> contexts = new ConcurrentHashMap<>();

    public String register(RunContext context) {
        String token = UUID.randomUUID().toString();
        contexts.put(token, context);
        return token;
    }

    public RunContext get(String token) {
        RunContext context = contexts.get(token);
        if (context == null) {
            throw new IllegalStateException("no run context for token " + token + "; start jobs through BatchCommands");
        }
        return context;
    }

    public RunContext remove(String token) {
        return contexts.remove(token);
    }
}
