package dev.soi.batch.compaction;

/** What {@code compact-partitions} did: partitions compacted (and failed, undone), their files and bytes before and after. */
public record Compacted(int partitions, int failed, long filesBefore, long filesAfter, long bytesBefore, long bytesAfter) {
    public static final Compacted NONE = new Compacted(0, 0, 0, 0, 0, 0);

    Compacted plus(long files, long newFiles, long bytes, long newBytes) {
        return new Compacted(partitions + 1, failed, filesBefore + files, filesAfter + newFiles, bytesBefore + bytes, bytesAfter + newBytes);
    }

    Compacted failure() {
        return new Compacted(partitions, failed + 1, filesBefore, filesAfter, bytesBefore, bytesAfter);
    }
}
