package dev.soi.api.web;

import dev.soi.api.ApiMetrics;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes problem documents, from controllers and from security filters alike, with one serializer of our
 * own: the field names and order are part of the contract, whatever JSON settings the host app has.
 * Every problem written here is counted as a reject by reason.
 */
public final class ProblemResponses {
    public static final String REQUEST_ATTRIBUTE_REASON = ProblemResponses.class.getName() + ".reason";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Logger log = LoggerFactory.getLogger(ProblemResponses.class);

    private final ApiMetrics metrics;

    public ProblemResponses(ApiMetrics metrics) {
        this.metrics = metrics;
    }

    public ResponseEntity<byte[]> entity(ApiProblem problem, HttpServletRequest request) {
        return entity(problem, request, request.getRequestURI());
    }

    /** As {@link #entity(ApiProblem, HttpServletRequest)}, for a request whose own URI is not the one to name (an error dispatch). */
    public ResponseEntity<byte[]> entity(ApiProblem problem, HttpServletRequest request, String instance) {
        record(problem, request);
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(problem.type().status())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        problem.headers().forEach((name, value) -> builder.header(name, value));
        return builder.body(bytes(problem.toProblem(instance(instance))));
    }

    /**
     * The problem for an error status raised outside our handlers (Tomcat's parser, the security firewall,
     * Spring MVC): the status's generic type and a detail of ours. A 5xx gets a fresh correlation id; its
     * cause goes to the log with that id and never to the client.
     */
    public ApiProblem forStatus(int status, String path, Throwable cause) {
        ProblemType type = ProblemType.forStatus(status);
        if (status >= 500) {
            String correlationId = UUID.randomUUID().toString();
            log.error("{} answered {} (correlation_id={})", show(path), status, correlationId, cause);
            return ApiProblem.internal(type, correlationId);
        }
        String detail = switch (type) {
            case NOT_FOUND -> "nothing is served at this path; the API is under /api/v1/security-of-interest/{businessUnit}";
            case BAD_REQUEST -> "the request line or headers are malformed or too large: encoded slashes, NUL, path parameters (;), "
                    + "'..' or empty path segments, and headers over the server's limit are refused (an Idempotency-Key is at most "
                    + SubmissionController.MAX_IDEMPOTENCY_KEY_LENGTH + " characters)";
            case HEADERS_TOO_LARGE -> "the request headers are larger than the server accepts; an Idempotency-Key is at most "
                    + SubmissionController.MAX_IDEMPOTENCY_KEY_LENGTH + " characters";
            case URI_TOO_LONG -> "the request URI is longer than the server accepts";
            default -> cause instanceof org.springframework.web.ErrorResponse known && known.getBody().getDetail() != null
                    ? known.getBody().getDetail() : type.title();
        };
        return new ApiProblem(type, detail);
    }

    public void write(ApiProblem problem, HttpServletRequest request, HttpServletResponse response) throws IOException {
        record(problem, request);
        response.setStatus(problem.type().status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        problem.headers().forEach(response::setHeader);
        byte[] body = bytes(problem.toProblem(instance(request.getRequestURI())));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    public static byte[] bytes(Problem problem) {
        return JSON.writeValueAsBytes(problem);
    }

    /** A request URI as the problem's {@code instance}, unless it is one no client should see echoed (raw, odd bytes). */
    static String instance(String uri) {
        return uri != null && uri.length() <= 2048 && uri.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? uri : null;
    }

    private static String show(String path) {
        return path == null ? "request" : dev.soi.core.domain.Checks.show(path);
    }

    void record(ApiProblem problem, HttpServletRequest request) {
        metrics.rejected(problem.type().reason());
        request.setAttribute(REQUEST_ATTRIBUTE_REASON, problem.type().reason());
    }
}
