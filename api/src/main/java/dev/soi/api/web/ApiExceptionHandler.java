package dev.soi.api.web;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Problems raised while handling the API's requests become problem documents; scoped to our controller. */
@RestControllerAdvice(assignableTypes = SubmissionController.class)
public class ApiExceptionHandler {
    private final ProblemResponses problems;

    public ApiExceptionHandler(ProblemResponses problems) {
        this.problems = problems;
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<byte[]> problem(ApiProblem problem, HttpServletRequest request) {
        return problems.entity(problem, request);
    }
}
