package dev.soi.batch.latest;

/** The latest version {@code rebuild-latest} swapped in, its rows, and whether it was built incrementally. */
public record Rebuilt(String version, long rows, boolean incremental) {}
