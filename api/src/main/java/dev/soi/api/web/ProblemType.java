package dev.soi.api.web;

import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * Every problem the API answers with. The {@code type} URI is stable (clients may switch on it); the
 * {@code reason} is the tag of the {@code soi.api.rejects} counter.
 */
public enum ProblemType {
    MALFORMED_JSON(HttpStatus.BAD_REQUEST, "malformed-json", "Request body is not valid JSON"),
    INVALID_BODY(HttpStatus.BAD_REQUEST, "invalid-body", "Request body is invalid"),
    INVALID_PARAMETER(HttpStatus.BAD_REQUEST, "invalid-parameter", "Request parameter is invalid"),
    UNAUTHENTICATED(HttpStatus.UNAUTHORIZED, "unauthenticated", "A valid bearer token is required"),
    FORBIDDEN_BUSINESS_UNIT(HttpStatus.FORBIDDEN, "forbidden-business-unit", "Business unit is not one of the caller's"),
    ACCESS_DENIED(HttpStatus.FORBIDDEN, "access-denied", "Access denied"),
    UNKNOWN_BUSINESS_UNIT(HttpStatus.NOT_FOUND, "unknown-business-unit", "Business unit does not exist"),
    PACKAGE_NOT_FOUND(HttpStatus.NOT_FOUND, "package-not-found", "Package is not in the latest table"),
    SUBMISSION_NOT_FOUND(HttpStatus.NOT_FOUND, "submission-not-found", "Submission does not exist"),
    IDEMPOTENCY_KEY_IN_PROGRESS(HttpStatus.CONFLICT, "idempotency-key-in-progress", "A request with this Idempotency-Key is still in progress"),
    BODY_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "body-too-large", "Request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Request body must be application/json"),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", "Idempotency-Key was used with a different request"),
    QUEUE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "queue-unavailable", "Submissions cannot be accepted right now"),
    /** The slug is older than the read model (reads were queries then); clients switch on it, so it stays. */
    READ_MODEL_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "query-failed", "Read model is unavailable"),
    INVALID_CONTENT_ENCODING(HttpStatus.BAD_REQUEST, "invalid-content-encoding", "Request body does not match its Content-Encoding"),
    UNSUPPORTED_CONTENT_ENCODING(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-content-encoding", "Content-Encoding is not supported"),
    // The kinds of error that arise outside our handlers: Tomcat's parser, the security firewall, Spring MVC.
    BAD_REQUEST(HttpStatus.BAD_REQUEST, "bad-request", "Request is malformed"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "not-found", "No such resource"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method is not allowed on this resource"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "No acceptable representation"),
    URI_TOO_LONG(HttpStatus.URI_TOO_LONG, "uri-too-long", "Request URI is too long"),
    HEADERS_TOO_LARGE(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers-too-large", "Request headers are too large"),
    INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error"),
    SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "service-unavailable", "Service is unavailable");

    public static final String TYPE_PREFIX = "urn:soi:problem:";

    private final HttpStatus status;
    private final String slug;
    private final String title;

    ProblemType(HttpStatus status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String uri() {
        return TYPE_PREFIX + slug;
    }

    public String title() {
        return title;
    }

    /**
     * The generic type for a status raised outside our handlers. A 4xx without its own type is
     * {@link #BAD_REQUEST}; a 5xx without one is {@link #INTERNAL_ERROR}.
     */
    public static ProblemType forStatus(int status) {
        for (ProblemType generic : List.of(BAD_REQUEST, NOT_FOUND, METHOD_NOT_ALLOWED, NOT_ACCEPTABLE, UNSUPPORTED_MEDIA_TYPE,
                BODY_TOO_LARGE, URI_TOO_LONG, HEADERS_TOO_LARGE, UNAUTHENTICATED, ACCESS_DENIED, SERVICE_UNAVAILABLE, INTERNAL_ERROR)) {
            if (generic.status.value() == status) {
                return generic;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
    }

    /** Tag value of the rejects counter: the slug with underscores. */
    public String reason() {
        return slug.replace('-', '_');
    }
}
