package dev.soi.batch.ingest;

/** The lease step found the lease taken: by {@code holder}, or, when null, by a run that released it a moment later. */
public record LeaseRefused(dev.soi.core.port.Lease holder) {}
