package dev.soi.bench;

import static dev.soi.core.sql.SqlTemplates.tokens;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.Statement;
import dev.soi.embedded.FileSystemObjectStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * PIT history at a given scale, generated inside DuckDB ({@code sql/bench/scale_pit_file}): moving tens of millions of
 * rows through the JVM, as {@link SimulatedRuns} does for small histories, would take longer than the benchmark itself.
 * Laid out as the product lays it out, under the keys {@link StorageLayout} gives:
 * <ul>
 *   <li>day 0, every package of every unit (the teams' onboarding), and each later closed day, a random
 *       {@link #CHURN} of each unit's packages resubmitted with new ids: one compacted file per partition, in the
 *       compaction's folder, where the partition is registered;</li>
 *   <li>today (the last day): {@code todayRuns} 5-minute runs so far, each setting {@link Scale#runPackages()} packages
 *       spread over the units, one small file per unit it touches, in the partition's own folder.</li>
 * </ul>
 * Deterministic: the same scale writes the same rows.
 */
final class ScaleHistory {
    /** Each closed day resubmits this share of each unit's packages. */
    static final double CHURN = 0.10;
    static final int RUNS_PER_DAY = 288;
    /** Ids are distinct and spread over 1..50M, each drawn from its own slice. */
    private static final long ID_RANGE = 50_000_000L;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd't'HHmmss'z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MOMENT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** {@code units} units of {@code packages} packages of {@code ids} ids in the latest table; {@code days} days of PIT. */
    record Scale(int units, int packages, int ids, int days) {
        Scale {
            if (units < 1 || units > 999 || packages < 1 || packages > 99_999 || ids < 1 || days < 2) {
                throw new IllegalArgumentException("scale needs 1-999 units, 1-99999 packages, at least 1 id and 2 days "
                        + "(onboarding, then today): " + units + " " + packages + " " + ids + " " + days);
            }
        }

        long latestRows() {
            return (long) units * packages * ids;
        }

        /** What one 5-minute run sets: the daily churn of every unit over 288 runs, at least one package. */
        int runPackages() {
            return (int) Math.max(1, Math.round(units * packages * CHURN / RUNS_PER_DAY));
        }

        List<BusinessUnit> unitList() {
            List<BusinessUnit> list = new ArrayList<>();
            for (int u = 0; u < units; u++) {
                list.add(BusinessUnit.of(String.format("U%02d", u)));
            }
            return list;
        }

        static String packageName(int p) {
            return String.format("job_%05d", p);
        }

        @Override
        public String toString() {
            return String.format("%d units x %d packages x %d ids (%,d latest rows), %d days", units, packages, ids, latestRows(), days);
        }
    }

    private final Scale scale;
    private final LocalDate firstDay;
    private final int todayRuns;
    private final FileSystemObjectStore store;
    private final Connection generator;
    private final SqlTemplates templates;
    private final List<BusinessUnit> units;
    /** Every partition written, with the folder it is registered at. */
    private final Map<PitPartition, String> folders = new TreeMap<>();
    private long rows;
    private long files;

    /**
     * @param generator an in-memory DuckDB of its own, kept open: it only runs the generating statements, and a fresh
     *                  database per statement (as the local engine makes one) would cost more than a small file's rows
     */
    ScaleHistory(Scale scale, LocalDate firstDay, int todayRuns, FileSystemObjectStore store, Connection generator, SqlTemplates templates) {
        this.scale = scale;
        this.firstDay = firstDay;
        this.todayRuns = todayRuns;
        this.store = store;
        this.generator = generator;
        this.templates = templates;
        this.units = scale.unitList();
    }

    LocalDate today() {
        return firstDay.plusDays(scale.days() - 1);
    }

    long rows() {
        return rows;
    }

    long files() {
        return files;
    }

    /** The partitions written so far, each with the folder the catalog registers it at. */
    Map<PitPartition, String> folders() {
        return folders;
    }

    /** The unit's partitions written so far. */
    List<PitPartition> partitionsOf(BusinessUnit unit) {
        return folders.keySet().stream().filter(p -> p.businessUnit().equals(unit)).toList();
    }

    /** Writes the closed days and today's runs so far. */
    void write() {
        for (int d = 0; d < scale.days() - 1; d++) {
            LocalDate day = firstDay.plusDays(d);
            RunId compaction = runAt(day.plusDays(1).atTime(1, 10).toInstant(ZoneOffset.UTC));
            for (int u = 0; u < units.size(); u++) {
                PitPartition partition = new PitPartition(units.get(u), day);
                String folder = StorageLayout.compactedPartitionPrefix(partition, compaction);
                writeFile(partition, folder, StorageLayout.pitFileKey(folder, compaction, 0), dayPackages(d, u),
                        day.atStartOfDay().toInstant(ZoneOffset.UTC), 86_400_000L, d * 1000L);
            }
            if ((d + 1) % 10 == 0) {
                System.out.printf("  %d of %d closed days written%n", d + 1, scale.days() - 1);
            }
        }
        for (int r = 0; r < todayRuns; r++) {
            writeRun(r);
        }
    }

    /**
     * Writes today's run {@code r} (started at 00:05 + 5 min × r): each unit it touches gets one small file in its
     * partition's own folder. Returns the run's id; {@link #touched} gives its partitions.
     */
    RunId writeRun(int r) {
        Instant start = today().atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(300L * (r + 1));
        RunId run = runAt(start);
        for (Map.Entry<Integer, TreeSet<Integer>> unit : runPackages(r).entrySet()) {
            PitPartition partition = new PitPartition(units.get(unit.getKey()), today());
            writeFile(partition, StorageLayout.partitionPrefix(partition), StorageLayout.pitFileKey(partition, run, 0), unit.getValue(),
                    start.minusSeconds(300), 300_000L, (scale.days() - 1) * 1000L + r + 1);
        }
        return run;
    }

    /** The units run {@code r} touches, each with its window start (today), as the batch's incremental rebuild takes them. */
    Map<BusinessUnit, LocalDate> touched(int r) {
        Map<BusinessUnit, LocalDate> windows = new TreeMap<>((a, b) -> a.code().compareTo(b.code()));
        runPackages(r).keySet().forEach(u -> windows.put(units.get(u), today()));
        return windows;
    }

    /** Day 0 sets every package; a later day a random {@link #CHURN} of them. */
    private Collection<Integer> dayPackages(int d, int u) {
        if (d == 0) {
            List<Integer> all = new ArrayList<>();
            for (int p = 0; p < scale.packages(); p++) {
                all.add(p);
            }
            return all;
        }
        int n = (int) Math.max(1, Math.round(scale.packages() * CHURN));
        return new SplittableRandom(d * 1_000_003L + u).ints(0, scale.packages()).distinct().limit(n).sorted().boxed()
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Run {@code r}'s packages by unit index: its {@link Scale#runPackages()} packages dealt round the units in turn. */
    private Map<Integer, TreeSet<Integer>> runPackages(int r) {
        Map<Integer, TreeSet<Integer>> byUnit = new TreeMap<>();
        int k = scale.runPackages();
        for (int j = 0; j < k; j++) {
            long g = (long) r * k + j;
            int p = new SplittableRandom(g * 7_919L + 17).nextInt(scale.packages());
            byUnit.computeIfAbsent((int) (g % units.size()), u -> new TreeSet<>()).add(p);
        }
        return byUnit;
    }

    private void writeFile(PitPartition partition, String folder, String key, Collection<Integer> packages, Instant windowStart,
                           long windowMillis, long version) {
        Path file = Path.of(store.location(key));
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.getParent(), e);
        }
        long spacing = Math.max(1, ID_RANGE / scale.ids());
        Statement copy = templates.render("bench/scale_pit_file", tokens(
                "file", SqlToken.location(file.toString()),
                "business_unit", SqlToken.literal(partition.businessUnit().code()),
                "packages", SqlToken.literal(packages.stream().map(String::valueOf).collect(Collectors.joining(","))),
                "ids", SqlToken.count(scale.ids()),
                "id_spacing", SqlToken.count(spacing),
                "window_start", SqlToken.literal(MOMENT.format(windowStart)),
                "window_millis", SqlToken.count(windowMillis),
                "version", SqlToken.count(version)));
        try (java.sql.Statement st = generator.createStatement()) {
            st.execute(copy.sql());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write " + key + ": " + e.getMessage(), e);
        }
        folders.putIfAbsent(partition, folder);
        rows += (long) packages.size() * scale.ids();
        files++;
    }

    /** The id of a run started at {@code at}, as the generated rows name it: its stamp and a zero suffix. */
    private static RunId runAt(Instant at) {
        return new RunId(STAMP.format(at) + "-00000000");
    }
}
