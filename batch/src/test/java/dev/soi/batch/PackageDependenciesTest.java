package dev.soi.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The batch's packages depend on each other one way only: from the entry points down through flow, ops and the stages
 * to run, so a stage never needs the job that runs it and no package needs one that needs it. Read from the source
 * tree (imports and fully qualified names), so nothing outside the build is needed to check it.
 */
class PackageDependenciesTest {
    private static final String ROOT = "dev.soi.batch";
    private static final Path SOURCES = Path.of("src/main/java/dev/soi/batch");
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.soi\\.batch(?:\\.[a-z]+)*)\\.[A-Z]");

    @Test
    void noPackageOfTheBatchDependsOnOneThatDependsOnIt() throws IOException {
        Map<String, Set<String>> uses = dependencies();

        assertThat(uses).containsKeys(ROOT, ROOT + ".flow", ROOT + ".run", ROOT + ".pit");
        assertThat(cycles(uses)).as("package cycles in %s", uses).isEmpty();
    }

    @Test
    void theStagesAndTheRunSharedByThemNeedNeitherTheJobsNorTheEntryPoints() throws IOException {
        Map<String, Set<String>> uses = dependencies();

        for (String stage : List.of("run", "journal", "compaction", "ingest", "pit", "latest", "readmodel", "ops")) {
            assertThat(uses.get(ROOT + "." + stage)).as(stage).doesNotContain(ROOT, ROOT + ".flow", ROOT + ".lambda");
        }
        assertThat(uses.get(ROOT + ".run")).as("run depends only on the journal it carries")
                .isSubsetOf(Set.of(ROOT + ".journal"));
    }

    /** For each package of the batch, the other packages of the batch its sources name. */
    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher declared = Pattern.compile("^package ([a-z.]+);", Pattern.MULTILINE).matcher(source);
                assertThat(declared.find()).as("package of %s", file).isTrue();
                String own = declared.group(1);
                Set<String> used = uses.computeIfAbsent(own, p -> new TreeSet<>());
                Matcher reference = REFERENCE.matcher(source);
                while (reference.find()) {
                    if (!reference.group(1).equals(own)) {
                        used.add(reference.group(1));
                    }
                }
            }
        }
        return uses;
    }

    /** Every cycle found by a depth-first walk, each as the packages along it. */
    private static List<List<String>> cycles(Map<String, Set<String>> uses) {
        List<List<String>> cycles = new ArrayList<>();
        Set<String> done = new TreeSet<>();
        for (String start : uses.keySet()) {
            walk(start, uses, new ArrayList<>(), done, cycles);
        }
        return cycles;
    }

    private static void walk(String at, Map<String, Set<String>> uses, List<String> path, Set<String> done, List<List<String>> cycles) {
        int seen = path.indexOf(at);
        if (seen >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(seen, path.size()));
            cycle.add(at);
            cycles.add(cycle);
            return;
        }
        if (done.contains(at)) {
            return;
        }
        path.add(at);
        for (String next : uses.getOrDefault(at, Set.of())) {
            walk(next, uses, path, done, cycles);
        }
        path.remove(path.size() - 1);
        done.add(at);
    }
}
