package dev.soi.api.web;

import dev.soi.api.SubmissionService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One log line per API request, written when the response is complete, with the fields in the MDC so a
 * structured log format ({@code logging.structured.format.console=ecs|logstash}) emits them as fields:
 * {@code http_method}, {@code http_path}, {@code http_status}, {@code duration_ms}, {@code principal},
 * {@code business_unit}, {@code submission_id} (set by the handler) and {@code reject_reason}.
 * Runs outside the security filters so 401s are logged too.
 */
public final class RequestLogFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger("dev.soi.api.requests");
    private static final String[] KEYS = {"http_method", "http_path", "http_status", "duration_ms", "principal",
            SubmissionController.MDC_BUSINESS_UNIT, SubmissionService.MDC_SUBMISSION_ID, "reject_reason"};

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long start = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            try {
                MDC.put("http_method", request.getMethod());
                MDC.put("http_path", request.getRequestURI());
                MDC.put("http_status", Integer.toString(response.getStatus()));
                MDC.put("duration_ms", Long.toString((System.nanoTime() - start) / 1_000_000));
                Principal principal = request.getUserPrincipal();
                if (MDC.get(SubmissionController.MDC_PRINCIPAL) == null && principal != null) {
                    MDC.put(SubmissionController.MDC_PRINCIPAL, principal.getName());
                }
                Object reason = request.getAttribute(ProblemResponses.REQUEST_ATTRIBUTE_REASON);
                if (reason != null) {
                    MDC.put("reject_reason", reason.toString());
                }
                StringBuilder line = new StringBuilder().append(request.getMethod()).append(' ').append(request.getRequestURI())
                        .append(' ').append(response.getStatus()).append(' ').append(MDC.get("duration_ms")).append("ms");
                append(line, "unit", MDC.get(SubmissionController.MDC_BUSINESS_UNIT));
                append(line, "submission", MDC.get(SubmissionService.MDC_SUBMISSION_ID));
                append(line, "rejected", reason == null ? null : reason.toString());
                log.info("{}", line);
            } finally {
                for (String key : KEYS) {
                    MDC.remove(key);
                }
            }
        }
    }

    private static void append(StringBuilder line, String key, String value) {
        if (value != null) {
            line.append(' ').append(key).append('=').append(value);
        }
    }
}
