package dev.soi.local;

/** A {@code ./soi} command's refusal or failure: one line for the user, and the exit code it ends with. */
final class CliException extends RuntimeException {
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
