package dev.soi.core.port;

/** The engine failed or rejected a statement: carries the template name and the engine's own reason. */
public class QueryFailedException extends RuntimeException {
    private final String template;
    private final String reason;

    public QueryFailedException(String template, String reason, Throwable cause) {
        super("statement " + template + " failed: " + reason, cause);
        this.template = template;
        this.reason = reason;
    }

    public String template() {
        return template;
    }

    public String reason() {
        return reason;
    }
}
