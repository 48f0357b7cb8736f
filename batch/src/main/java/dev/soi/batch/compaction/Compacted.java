package dev.soi.batch.compaction;

/**
 * What {@code compact-partitions} did: partitions compacted (and failed, undone), their files and bytes before and after;
 * how many partitions are set aside after it, how many due ones it left, and whether it stopped at the invocation's deadline.
 */
public record Compacted(int partitions, int failed, long filesBefore, long filesAfter, long bytesBefore, long bytesAfter,
                        int setAside, int left, boolean stoppedAtDeadline) {
    public static final Compacted NONE = new Compacted(0, 0, 0, 0, 0, 0, 0, 0, false);

    Compacted plus(long files, long newFiles, long bytes, long newBytes) {
        return new Compacted(partitions + 1, failed, filesBefore + files, filesAfter + newFiles, bytesBefore + bytes,
                bytesAfter + newBytes, setAside, left, stoppedAtDeadline);
    }

    Compacted failure() {
        return new Compacted(partitions, failed + 1, filesBefore, filesAfter, bytesBefore, bytesAfter, setAside, left, stoppedAtDeadline);
    }

    Compacted ended(int nowSetAside, int leftDue, boolean stopped) {
        return new Compacted(partitions, failed, filesBefore, filesAfter, bytesBefore, bytesAfter, nowSetAside, leftDue, stopped);
    }
}
