package dev.soi.api.web;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.util.List;
import java.util.Map;

/** Thrown anywhere in request handling to answer with a problem document. */
public class ApiProblem extends RuntimeException {
    private final ProblemType type;
    private final String detail;
    private final List<Problem.FieldProblem> errors;
    private final Map<String, String> headers;
    private final String correlationId;

    public ApiProblem(ProblemType type, String detail) {
        this(type, detail, null, Map.of());
    }

    public ApiProblem(ProblemType type, String detail, List<Problem.FieldProblem> errors) {
        this(type, detail, errors, Map.of());
    }

    public ApiProblem(ProblemType type, String detail, List<Problem.FieldProblem> errors, Map<String, String> headers) {
        this(type, detail, errors, headers, null);
    }

    private ApiProblem(ProblemType type, String detail, List<Problem.FieldProblem> errors, Map<String, String> headers, String correlationId) {
        super(detail, null, false, false);
        this.type = requireNonNull(type, "type");
        this.detail = requireNonNull(detail, "detail");
        this.errors = errors == null ? null : List.copyOf(errors);
        this.headers = Map.copyOf(headers);
        this.correlationId = correlationId;
    }

    /**
     * A 5xx that says nothing of its cause: only the correlation id, which the log line with the cause
     * carries too.
     */
    public static ApiProblem internal(ProblemType type, String correlationId) {
        requireNonNull(correlationId, "correlation id");
        return new ApiProblem(type, "the server failed to answer this request; quote correlation id " + correlationId
                + " to the operators", null, Map.of(), correlationId);
    }

    public String correlationId() {
        return correlationId;
    }

    public ProblemType type() {
        return type;
    }

    public String detail() {
        return detail;
    }

    public List<Problem.FieldProblem> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Problem toProblem(String instance) {
        return new Problem(type.uri(), type.title(), type.status().value(), detail, instance, errors, correlationId);
    }
}
