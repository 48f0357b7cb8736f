package dev.soi.api.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.MediaType;

/**
 * Tomcat's last word on an error as a problem document instead of its HTML page. Tomcat answers some
 * requests itself before any servlet or filter sees them (an encoded slash or NUL in the path, headers
 * over {@code server.max-http-request-header-size}); this valve, installed on the host in place of
 * {@link ErrorReportValve}, renders those through the same {@link ProblemResponses} as everything else.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {
    private final ProblemResponses problems;

    public ProblemErrorReportValve(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        ApiProblem problem = problems.forStatus(status, request.getRequestURI(), throwable);
        problems.record(problem, request);
        byte[] body = ProblemResponses.bytes(problem.toProblem(ProblemResponses.instance(request.getRequestURI())));
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            problem.headers().forEach(response::setHeader);
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(body, StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response was taken over; there is no one left to tell
        }
    }
}
