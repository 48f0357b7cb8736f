package dev.soi.batch.journal;

import static dev.soi.core.domain.Checks.requireNonNull;

import dev.soi.core.port.ObjectSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One object readers read, as it was when it was published: its key and size. A run records the files of the version it
 * swaps in, so a later run or {@code status} can tell by one listing, without reading any data, whether what readers read
 * is still what was published.
 */
public record PublishedFile(String key, long bytes) {
    public PublishedFile {
        requireNonNull(key, "key");
    }

    public static List<PublishedFile> of(List<ObjectSummary> listed) {
        return listed.stream().map(o -> new PublishedFile(o.key(), o.size())).toList();
    }

    /**
     * How {@code listed}, the objects under the published prefix now, differ from {@code published}: a file missing, a file
     * whose size changed, a file that was not published (readers read everything under the prefix). Empty when they agree.
     */
    public static List<String> differences(List<PublishedFile> published, List<ObjectSummary> listed) {
        Map<String, Long> now = new TreeMap<>();
        listed.forEach(o -> now.put(o.key(), o.size()));
        List<String> differences = new ArrayList<>();
        for (PublishedFile file : published) {
            Long size = now.remove(file.key());
            if (size == null) {
                differences.add(file.key() + " is missing");
            } else if (size != file.bytes()) {
                differences.add(file.key() + " is " + size + " bytes, " + file.bytes() + " were published");
            }
        }
        now.forEach((key, size) -> differences.add(key + " (" + size + " bytes) was not published"));
        return differences;
    }
}
