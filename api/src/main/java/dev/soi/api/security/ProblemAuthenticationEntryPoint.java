package dev.soi.api.security;

import dev.soi.api.web.ApiProblem;
import dev.soi.api.web.ProblemResponses;
import dev.soi.api.web.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 401 and 403 from the security filters as problem documents, with the RFC 6750 challenge on 401. */
public final class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint, AccessDeniedHandler {
    private final ProblemResponses problems;

    public ProblemAuthenticationEntryPoint(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        boolean tokenSent = request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        String detail = tokenSent ? "the bearer token was not accepted: " + e.getMessage() : "send Authorization: Bearer <token>";
        String challenge = tokenSent ? "Bearer error=\"invalid_token\"" : "Bearer";
        problems.write(new ApiProblem(ProblemType.UNAUTHENTICATED, detail, null, Map.of(HttpHeaders.WWW_AUTHENTICATE, challenge)),
                request, response);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
        problems.write(new ApiProblem(ProblemType.ACCESS_DENIED, "access denied"), request, response);
    }
}
