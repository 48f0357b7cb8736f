package dev.soi.api.web;

import dev.soi.api.ApiMetrics;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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

    private final ApiMetrics metrics;

    public ProblemResponses(ApiMetrics metrics) {
        this.metrics = metrics;
    }

    public ResponseEntity<byte[]> entity(ApiProblem problem, HttpServletRequest request) {
        record(problem, request);
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(problem.type().status())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        problem.headers().forEach((name, value) -> builder.header(name, value));
        return builder.body(bytes(problem.toProblem(request.getRequestURI())));
    }

    public void write(ApiProblem problem, HttpServletRequest request, HttpServletResponse response) throws IOException {
        record(problem, request);
        response.setStatus(problem.type().status().value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        problem.headers().forEach(response::setHeader);
        byte[] body = bytes(problem.toProblem(request.getRequestURI()));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    public static byte[] bytes(Problem problem) {
        return JSON.writeValueAsBytes(problem);
    }

    private void record(ApiProblem problem, HttpServletRequest request) {
        metrics.rejected(problem.type().reason());
        request.setAttribute(REQUEST_ATTRIBUTE_REASON, problem.type().reason());
    }
}
