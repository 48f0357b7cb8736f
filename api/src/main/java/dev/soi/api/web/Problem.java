package dev.soi.api.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code errors} names each bad field: a JSON pointer into the request body
 * ({@code /packages/0/reference_ids/3}) or, for a path, query or header value, the parameter's name.
 * A 5xx carries a {@code correlation_id} instead of its cause, which only the log holds.
 */
@Schema(name = "Problem", description = "RFC 9457 problem details")
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance", "errors", "correlation_id"})
public record Problem(@JsonProperty("type") String type,
                      @JsonProperty("title") String title,
                      @JsonProperty("status") int status,
                      @JsonProperty("detail") String detail,
                      @JsonProperty("instance") String instance,
                      @JsonProperty("errors") List<FieldProblem> errors,
                      @JsonProperty("correlation_id") @Schema(description = "5xx only: quote it to the operators; the log line with the cause carries it")
                      String correlationId) {

    public Problem(String type, String title, int status, String detail, String instance, List<FieldProblem> errors) {
        this(type, title, status, detail, instance, errors, null);
    }

    /** One bad field: exactly one of {@code pointer} (request body) and {@code parameter} is set. */
    @Schema(name = "FieldProblem")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"pointer", "parameter", "detail"})
    public record FieldProblem(@JsonProperty("pointer") String pointer,
                               @JsonProperty("parameter") String parameter,
                               @JsonProperty("detail") String detail) {
        public static FieldProblem at(String pointer, String detail) {
            return new FieldProblem(pointer, null, detail);
        }

        public static FieldProblem parameter(String name, String detail) {
            return new FieldProblem(null, name, detail);
        }
    }
}
