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

    public ApiProblem(ProblemType type, String detail) {
        this(type, detail, null, Map.of());
    }

    public ApiProblem(ProblemType type, String detail, List<Problem.FieldProblem> errors) {
        this(type, detail, errors, Map.of());
    }

    public ApiProblem(ProblemType type, String detail, List<Problem.FieldProblem> errors, Map<String, String> headers) {
        super(detail, null, false, false);
        this.type = requireNonNull(type, "type");
        this.detail = requireNonNull(detail, "detail");
        this.errors = errors == null ? null : List.copyOf(errors);
        this.headers = Map.copyOf(headers);
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
        return new Problem(type.uri(), type.title(), type.status().value(), detail, instance, errors);
    }
}
