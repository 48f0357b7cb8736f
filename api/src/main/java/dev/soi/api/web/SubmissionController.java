package dev.soi.api.web;

import dev.soi.api.ApiProperties;
import dev.soi.api.BusinessUnitRegistry;
import dev.soi.api.ReadModelReads;
import dev.soi.api.SubmissionService;
import dev.soi.api.security.Caller;
import dev.soi.api.security.JwtCallers;
import dev.soi.api.web.Problem.FieldProblem;
import dev.soi.api.web.Responses.LatestPackage;
import dev.soi.api.web.Responses.PackagePage;
import dev.soi.api.web.Responses.SubmissionAccepted;
import dev.soi.api.web.Responses.SubmissionRequest;
import dev.soi.api.web.Responses.SubmissionStatus;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.SubmissionId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.MDC;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/security-of-interest/{businessUnit}}. Every handler first settles who may ask about the
 * unit, in this order: no or invalid token 401 (security filter), unit not in the registry 404, unit not
 * the caller's 403; only then is a body or an object read. The POST body is read here, bounded, and
 * parsed by {@link SubmissionBodyParser}, not bound by Spring, so limits and per-field errors are ours.
 */
@RestController
@Tag(name = "security-of-interest")
@ApiResponse(responseCode = "401", description = "No valid bearer token", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "403", description = "Business unit is not the caller's", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "404", description = "Business unit does not exist", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
@RequestMapping(SubmissionController.BASE_PATH)
@SecurityRequirement(name = "bearer")
public class SubmissionController {
    public static final String BASE_PATH = "/api/v1/security-of-interest/{businessUnit}";
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;
    public static final String MDC_BUSINESS_UNIT = "business_unit";
    public static final String MDC_PRINCIPAL = "principal";
    /** Clocks of API instances and clients drift; an id this far in the future may still be ours. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final int MAX_PAGE = 10_000_000;

    private final BusinessUnitRegistry registry;
    private final ApiProperties properties;
    private final SubmissionBodyParser parser;
    private final SubmissionService submissions;
    private final ReadModelReads reads;
    private final JwtCallers callers;
    private final Clock clock;

    public SubmissionController(BusinessUnitRegistry registry, ApiProperties properties, SubmissionService submissions,
                                ReadModelReads reads) {
        this.registry = registry;
        this.properties = properties;
        this.parser = new SubmissionBodyParser(properties.limits());
        this.submissions = submissions;
        this.reads = reads;
        this.callers = new JwtCallers(properties.auth());
        this.clock = submissions.clock();
    }

    @Operation(summary = "Submit the new state of one or more packages",
            description = "Accepted submissions are queued and applied by the next batch run. An empty reference_ids array deletes "
                    + "the package. Replaying a request with the same Idempotency-Key and body returns the first 202.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SubmissionRequest.class))))
    @ApiResponse(responseCode = "202", description = "Queued",
            headers = @Header(name = HttpHeaders.LOCATION, description = "the status URL", schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SubmissionAccepted.class)))
    @ApiResponse(responseCode = "400", description = "Malformed JSON or invalid fields", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "No valid bearer token", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "Business unit is not the caller's", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "Business unit does not exist", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "A request with this Idempotency-Key is in progress", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "413", description = "Body (decoded, if gzip) larger than soi.api.limits.max-body", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "415", description = "Body is not application/json, or its Content-Encoding is neither identity nor gzip", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "422", description = "Idempotency-Key reused with a different request", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "Queue unavailable; nothing was accepted (see Retry-After)", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
    @PostMapping
    public ResponseEntity<byte[]> submit(@PathVariable String businessUnit,
                                         @Parameter(in = ParameterIn.HEADER, name = IDEMPOTENCY_KEY, description = "1-255 printable ASCII characters; remembered for soi.api.idempotency.ttl")
                                         @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                         @Parameter(hidden = true) @AuthenticationPrincipal Jwt jwt,
                                         @Parameter(hidden = true) HttpServletRequest request) {
        Caller caller = caller(jwt);
        BusinessUnit unit = authorise(businessUnit, caller);
        checkIdempotencyKey(idempotencyKey);
        checkJson(request.getContentType());
        byte[] body;
        try {
            body = BoundedBody.read(ContentEncodings.decode(request.getHeader(HttpHeaders.CONTENT_ENCODING), request.getInputStream()),
                    request.getContentLengthLong(), properties.limits().maxBodyBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read request body", e);
        }
        List<PackageChange> changes = parser.parse(body);
        return accepted(submissions.submit(unit, caller.name(), changes, idempotencyKey));
    }

    @Operation(summary = "Delete a package", description = "Queues a tombstone: after the next batch run the package is no longer in the latest table.")
    @ApiResponse(responseCode = "202", description = "Queued",
            headers = @Header(name = HttpHeaders.LOCATION, description = "the status URL", schema = @Schema(type = "string")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SubmissionAccepted.class)))
    @ApiResponse(responseCode = "400", description = "Invalid package name", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "Queue unavailable; nothing was accepted", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
    @DeleteMapping("/packages/{packageName}")
    public ResponseEntity<byte[]> delete(@PathVariable String businessUnit, @PathVariable String packageName,
                                         @Parameter(in = ParameterIn.HEADER, name = IDEMPOTENCY_KEY)
                                         @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
                                         @Parameter(hidden = true) @AuthenticationPrincipal Jwt jwt) {
        Caller caller = caller(jwt);
        BusinessUnit unit = authorise(businessUnit, caller);
        checkIdempotencyKey(idempotencyKey);
        PackageName name = packageName(packageName);
        return accepted(submissions.submit(unit, caller.name(), List.of(new PackageChange(name, List.of())), idempotencyKey));
    }

    @Operation(summary = "Latest reference ids of a package",
            description = "Read from the read model the batch publishes with each version of the latest table: the same ids as "
                    + "the latest table. 503 (query-failed, with Retry-After) when the read model cannot be read.")
    @ApiResponse(responseCode = "200", description = "The package's latest version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = LatestPackage.class)))
    @ApiResponse(responseCode = "404", description = "Unknown business unit, or package not in the latest table", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
    @GetMapping("/packages/{packageName}")
    public ResponseEntity<LatestPackage> latestPackage(@PathVariable String businessUnit, @PathVariable String packageName,
                                                       @Parameter(hidden = true) @AuthenticationPrincipal Jwt jwt) {
        BusinessUnit unit = authorise(businessUnit, caller(jwt));
        PackageName name = packageName(packageName);
        return reads.latestPackage(unit, name)
                .map(p -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(p))
                .orElseThrow(() -> new ApiProblem(ProblemType.PACKAGE_NOT_FOUND,
                        "package " + name.value() + " of " + unit.code() + " is not in the latest table (never applied, or deleted)"));
    }

    @Operation(summary = "The unit's latest packages, by name, one page at a time",
            description = "Read from the unit's listing in the read model the batch publishes with each version of the latest table. "
                    + "503 (query-failed, with Retry-After) when the read model cannot be read.")
    @ApiResponse(responseCode = "200", description = "One page",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PackagePage.class)))
    @GetMapping("/packages")
    public ResponseEntity<PackagePage> packages(@PathVariable String businessUnit,
                                                @Parameter(description = "0-based page number", schema = @Schema(type = "integer", defaultValue = "0"))
                                                @RequestParam(name = "page", required = false) String page,
                                                @Parameter(description = "packages per page, 1..soi.api.limits.max-page-size", schema = @Schema(type = "integer"))
                                                @RequestParam(name = "size", required = false) String size,
                                                @Parameter(hidden = true) @AuthenticationPrincipal Jwt jwt) {
        BusinessUnit unit = authorise(businessUnit, caller(jwt));
        int pageNumber = intParameter("page", page, 0, 0, MAX_PAGE);
        int pageSize = intParameter("size", size, properties.limits().defaultPageSize(), 1, properties.limits().maxPageSize());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(reads.page(unit, pageNumber, pageSize));
    }

    @Operation(summary = "Whether a submission was applied",
            description = "QUEUED until a batch run applied the submission and published it, then APPLIED; with superseded_by once "
                    + "the latest version of a package it set belongs to another submission (a newer one, or one this was stamped "
                    + "older than). DEAD_LETTERED, with the reason, when the batch moved it to the dead-letter queue, or found it "
                    + "there after SQS moved it for too many receives (./soi dlq redrive, or the Lambda command dlq-redrive, sends "
                    + "it back). Ids that this API cannot have issued (not a canonical lower-case UUIDv7, or dated in the future) "
                    + "are 404. 503 (query-failed, with Retry-After) when the read model cannot be read.")
    @ApiResponse(responseCode = "200", description = "Status",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SubmissionStatus.class)))
    @ApiResponse(responseCode = "404", description = "Unknown business unit, or not a submission id", content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = Problem.class)))
    @GetMapping("/submissions/{submissionId}")
    public ResponseEntity<SubmissionStatus> status(@PathVariable String businessUnit, @PathVariable String submissionId,
                                                   @Parameter(hidden = true) @AuthenticationPrincipal Jwt jwt) {
        BusinessUnit unit = authorise(businessUnit, caller(jwt));
        SubmissionId id;
        try {
            id = SubmissionId.parse(submissionId);
        } catch (IllegalArgumentException e) {
            id = null;
        }
        // The API only ever issues the canonical lower-case form; any other spelling (upper case included)
        // is not an id it gave out, as api/README.md promises.
        if (id == null || !id.toString().equals(submissionId)) {
            throw new ApiProblem(ProblemType.SUBMISSION_NOT_FOUND, "no submission " + dev.soi.core.domain.Checks.show(submissionId)
                    + ": the API issues canonical lower-case UUIDv7 ids");
        }
        if (id.timestamp().isAfter(clock.instant().plus(CLOCK_SKEW))) {
            throw new ApiProblem(ProblemType.SUBMISSION_NOT_FOUND, "no submission " + id + ": its timestamp " + id.timestamp() + " is in the future");
        }
        MDC.put(SubmissionService.MDC_SUBMISSION_ID, id.toString());
        SubmissionStatus status = reads.status(unit, id);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(status);
    }

    private Caller caller(Jwt jwt) {
        if (jwt == null) {
            throw new ApiProblem(ProblemType.UNAUTHENTICATED, "send Authorization: Bearer <token>", null,
                    java.util.Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
        }
        // The decoder's PrincipalValidator has refused a missing, overlong or control-character principal.
        Caller caller = callers.caller(jwt);
        MDC.put(MDC_PRINCIPAL, caller.name());
        return caller;
    }

    /** 404 before 403: whether a unit exists is not a secret (it is configuration), but its data is. */
    private BusinessUnit authorise(String code, Caller caller) {
        BusinessUnit unit = registry.find(code).orElseThrow(() -> new ApiProblem(ProblemType.UNKNOWN_BUSINESS_UNIT,
                "business unit " + dev.soi.core.domain.Checks.show(code) + " is not in the registry"));
        MDC.put(MDC_BUSINESS_UNIT, unit.code());
        if (!caller.mayUse(unit.code())) {
            throw new ApiProblem(ProblemType.FORBIDDEN_BUSINESS_UNIT,
                    "caller " + dev.soi.core.domain.Checks.show(caller.name()) + " may not use business unit " + unit.code());
        }
        return unit;
    }

    private static PackageName packageName(String text) {
        try {
            return PackageName.of(text);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(ProblemType.INVALID_PARAMETER, e.getMessage(), List.of(FieldProblem.parameter("packageName", e.getMessage())));
        }
    }

    private static void checkIdempotencyKey(String key) {
        if (key == null) {
            return;
        }
        boolean printable = key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
        if (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH || !printable || key.isBlank()) {
            String detail = "Idempotency-Key must be 1-" + MAX_IDEMPOTENCY_KEY_LENGTH + " printable ASCII characters";
            throw new ApiProblem(ProblemType.INVALID_PARAMETER, detail, List.of(FieldProblem.parameter(IDEMPOTENCY_KEY, detail)));
        }
    }

    private static void checkJson(String contentType) {
        MediaType type = null;
        try {
            type = contentType == null ? null : MediaType.parseMediaType(contentType);
        } catch (org.springframework.util.InvalidMimeTypeException e) {
            // reported below like any other non-JSON type
        }
        boolean json = type != null && (MediaType.APPLICATION_JSON.isCompatibleWith(type)
                || "application".equals(type.getType()) && type.getSubtype().endsWith("+json"));
        if (!json) {
            throw new ApiProblem(ProblemType.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json, not "
                    + (contentType == null ? "missing" : dev.soi.core.domain.Checks.show(contentType)));
        }
    }

    private static int intParameter(String name, String text, int defaultValue, int min, int max) {
        if (text == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        String detail = name + " must be an integer between " + min + " and " + max + ": " + dev.soi.core.domain.Checks.show(text);
        throw new ApiProblem(ProblemType.INVALID_PARAMETER, detail, List.of(FieldProblem.parameter(name, detail)));
    }

    private static ResponseEntity<byte[]> accepted(SubmissionService.Accepted accepted) {
        MDC.put(SubmissionService.MDC_SUBMISSION_ID, accepted.submissionId());
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.LOCATION, accepted.location())
                .header("Idempotent-Replayed", Boolean.toString(accepted.replay()))
                .body(accepted.body());
    }
}
