package dev.soi.api.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every exception out of a handler becomes a problem document of ours: {@link ApiProblem}s as raised,
 * Spring MVC's own ({@link ErrorResponse}: 404 no handler, 405, 406, …) with their status's type, and
 * anything else as a 500 with a correlation id and no internals. Global, so the host's controllers
 * answer the same way.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiExceptionHandler {
    private final ProblemResponses problems;

    public ApiExceptionHandler(ProblemResponses problems) {
        this.problems = problems;
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<byte[]> problem(ApiProblem problem, HttpServletRequest request) {
        return problems.entity(problem, request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<byte[]> unexpected(Exception e, HttpServletRequest request) {
        int status = e instanceof ErrorResponse known ? known.getStatusCode().value() : 500;
        ResponseEntity<byte[]> entity = problems.entity(problems.forStatus(status, request.getRequestURI(), e), request);
        if (e instanceof ErrorResponse known && !known.getHeaders().isEmpty()) {
            return ResponseEntity.status(entity.getStatusCode()).headers(entity.getHeaders()).headers(known.getHeaders()).body(entity.getBody());
        }
        return entity;
    }
}
