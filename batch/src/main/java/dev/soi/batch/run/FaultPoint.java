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
    /** The read model's statuses written, none of its packages yet. */
    AFTER_READ_MODEL_STATUSES("after-read-model-statuses"),
    /** After the first package object of the read model is written, while the others are. */
    DURING_READ_MODEL_PACKAGES("during-read-model-packages"),
    /** After the first listing page of the read model is rewritten, before the others. */
    DURING_READ_MODEL_INDEX("during-read-model-index"),
    /** The read model published, before the runs it covers are marked DONE. */
    AFTER_READ_MODEL("after-read-model"),
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
