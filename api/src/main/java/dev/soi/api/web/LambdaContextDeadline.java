package dev.soi.api.web;

import dev.soi.core.port.InvocationDeadline;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Lambda invocation's deadline for the request being served, for the Athena engine's waits. Under the Lambda
 * Web Adapter the app sees no Lambda {@code Context}; the adapter forwards it as the JSON header
 * {@value #HEADER}, whose {@code deadline} is the invocation's end in epoch milliseconds. The deadline less
 * {@link #MARGIN} (time to answer) applies to the thread serving the request; without the header (local runs)
 * there is none. Thread-safe.
 */
public final class LambdaContextDeadline extends OncePerRequestFilter implements InvocationDeadline {
    public static final String HEADER = "x-amzn-lambda-context";
    public static final Duration MARGIN = Duration.ofSeconds(2);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ThreadLocal<Instant> current = new ThreadLocal<>();

    @Override
    public Optional<Instant> deadline() {
        return Optional.ofNullable(current.get());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Instant deadline = parse(request.getHeader(HEADER));
        if (deadline == null) {
            chain.doFilter(request, response);
            return;
        }
        current.set(deadline.minus(MARGIN));
        try {
            chain.doFilter(request, response);
        } finally {
            current.remove();
        }
    }

    static Instant parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            JsonNode deadline = JSON.readTree(header).get("deadline");
            return deadline != null && deadline.canConvertToLong() ? Instant.ofEpochMilli(deadline.longValue()) : null;
        } catch (JacksonException e) {
            return null; // a malformed header must not fail the request; the statement timeout still applies
        }
    }
}
