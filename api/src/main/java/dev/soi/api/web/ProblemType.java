package dev.soi.api.web;

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
    QUERY_FAILED(HttpStatus.SERVICE_UNAVAILABLE, "query-failed", "Query engine is unavailable");

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

    /** Tag value of the rejects counter: the slug with underscores. */
    public String reason() {
        return slug.replace('-', '_');
    }
}
