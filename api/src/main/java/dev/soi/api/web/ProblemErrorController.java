package dev.soi.api.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}) as a problem document, in place of Spring Boot's
 * {@code {"timestamp","status","error","path"}}: what a filter (the security firewall refusing
 * {@code /AE/../CMF}) or {@code sendError} leaves behind ends here.
 */
@RestController
public class ProblemErrorController implements ErrorController {
    private final ProblemResponses problems;

    public ProblemErrorController(ProblemResponses problems) {
        this.problems = problems;
    }

    @RequestMapping("${server.error.path:/error}")
    public ResponseEntity<byte[]> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object cause = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String uri = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (cause instanceof ApiProblem problem) {
            return problems.entity(problem, request, uri);
        }
        int status = code instanceof Integer i && i >= 400 ? i : 500;
        if (cause instanceof org.springframework.security.web.firewall.RequestRejectedException) {
            status = 400;
        }
        return problems.entity(problems.forStatus(status, uri, cause instanceof Throwable t ? t : null), request, uri);
    }
}
