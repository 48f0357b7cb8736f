package dev.soi.batch.run;

/** Named points of the run where a test can simulate a crash; see {@link FaultInjector}. */
public enum FaultPoint {
    DURING_DRAIN("during-drain"),
    AFTER_UPLOAD("after-upload"),
    AFTER_MANIFEST_PENDING("after-manifest-pending"),
    /** At the start of {@code commit-manifest}: every file staged and named, nothing committed. */
    BEFORE_COMMIT("before-commit"),
    AFTER_MANIFEST_COMMIT("after-manifest-commit"),
    BEFORE_DELETE("before-delete"),
    /** After each batch of messages is deleted, before the next. */
    DURING_DELETE("during-delete"),
    DURING_CTAS("during-ctas"),
    BETWEEN_CTAS_AND_SWAP("between-ctas-and-swap"),
    AFTER_COMPACTION_WRITE("after-compaction-write"),
    AFTER_COMPACTION_VERIFY("after-compaction-verify"),
    AFTER_COMPACTION_SWAP("after-compaction-swap"),
    BEFORE_OLD_FILES_DELETE("before-old-files-delete");

    private final String label;

    FaultPoint(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
