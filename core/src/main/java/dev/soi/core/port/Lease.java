package dev.soi.core.port;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.time.Instant;

/** A granted lease: who holds it, its fencing token, when it expires, and the version of its record. */
public record Lease(String holder, long fencingToken, Instant expiresAt, String version) {
    public Lease {
        requireNonNull(holder, "holder");
        requireNonNull(expiresAt, "expires at");
        requireNonNull(version, "version");
    }
}
