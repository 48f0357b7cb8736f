package dev.soi.bench;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import dev.soi.embedded.FileSystemObjectStore;
import dev.soi.parquet.PitParquetWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * PIT history as scheduled runs leave it: {@code runsPerDay} runs a day, each writing one small file per partition
 * it touches (a unit it has submissions for, on that day), named by the run as the batch names them. A run touches
 * each unit with probability {@code unitShare} and then sets 1 to {@code maxPackagesPerRun} of the unit's packages,
 * each to {@code minIds}..{@code maxIds} ids (a {@code tombstoneShare} of them to no ids). With {@code initialLoad},
 * the first run of the first day sets every package of every unit, as a team's onboarding does.
 *
 * <p>Days are independent and seeded by their index, so the same shape always writes the same rows, and two
 * threads write them. Optionally the same rows also go to {@code oneFile} as one file per partition, sorted as the
 * compaction writes them.
 */
final class SimulatedRuns {
    /** What the history looks like; see the class comment. */
    record Shape(List<BusinessUnit> units, int packagesPerUnit, int runsPerDay, double unitShare, int maxPackagesPerRun,
                 int minIds, int maxIds, double tombstoneShare, boolean initialLoad) {
        Shape {
            units = List.copyOf(units);
        }

        String packageName(int p) {
            return String.format(packagesPerUnit <= 100 ? "job_%02d" : "job_%03d", p);
        }
    }

    private final Shape shape;
    private final LocalDate firstDay;
    private final FileSystemObjectStore store;
    private final FileSystemObjectStore oneFile;

    /** {@code oneFile} may be null: then only the small files are written. */
    SimulatedRuns(Shape shape, LocalDate firstDay, FileSystemObjectStore store, FileSystemObjectStore oneFile) {
        this.shape = shape;
        this.firstDay = firstDay;
        this.store = store;
        this.oneFile = oneFile;
    }

    LocalDate day(int d) {
        return firstDay.plusDays(d);
    }

    /** The partitions days {@code from} (inclusive) to {@code to} (exclusive) may hold. */
    List<PitPartition> partitions(int from, int to) {
        List<PitPartition> partitions = new ArrayList<>();
        for (int d = from; d < to; d++) {
            for (BusinessUnit unit : shape.units()) {
                partitions.add(new PitPartition(unit, day(d)));
            }
        }
        return partitions;
    }

    /** Writes days 0 to {@code days} - 1; returns the rows written. */
    long write(int days) throws Exception {
        ForkJoinPool pool = new ForkJoinPool(2);
        AtomicInteger done = new AtomicInteger();
        try {
            return pool.submit(() -> IntStream.range(0, days).parallel().mapToLong(d -> {
                try {
                    long n = writeDay(d);
                    if (done.incrementAndGet() % 30 == 0) {
                        System.out.printf("  %d days written%n", done.get());
                    }
                    return n;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum()).get();
        } finally {
            pool.shutdown();
        }
    }

    private long writeDay(int d) throws IOException {
        SplittableRandom random = new SplittableRandom(15L * 1_000_003 + d);
        LocalDate day = day(d);
        int interval = 86_400 / shape.runsPerDay();
        Map<BusinessUnit, List<Object[]>> dayRows = new TreeMap<>((a, b) -> a.code().compareTo(b.code()));
        long rows = 0;
        for (int r = 0; r < shape.runsPerDay(); r++) {
            Instant runStart = day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds((long) r * interval);
            RunId run = RunId.generate(runStart, new Random(random.nextLong()));
            boolean onboarding = shape.initialLoad() && d == 0 && r == 0;
            for (BusinessUnit unit : shape.units()) {
                if (!onboarding && shape.unitShare() < 1.0 && random.nextDouble() >= shape.unitShare()) {
                    continue;
                }
                // The packages of this run's submissions for the unit, with their ids sorted, as the writer sorts.
                TreeMap<String, long[]> packages = new TreeMap<>();
                if (onboarding) {
                    for (int p = 0; p < shape.packagesPerUnit(); p++) {
                        packages.put(shape.packageName(p), ids(random));
                    }
                } else {
                    int n = 1 + random.nextInt(shape.maxPackagesPerRun());
                    for (int p = 0; p < n; p++) {
                        String name = shape.packageName(random.nextInt(shape.packagesPerUnit()));
                        boolean tombstone = shape.tombstoneShare() > 0 && random.nextDouble() < shape.tombstoneShare();
                        packages.put(name, tombstone ? new long[0] : ids(random));
                    }
                }
                rows += writeRun(new PitPartition(unit, day), run, runStart, interval, packages, random,
                        dayRows.computeIfAbsent(unit, u -> new ArrayList<>()));
            }
        }
        if (oneFile != null) {
            for (Map.Entry<BusinessUnit, List<Object[]>> unit : dayRows.entrySet()) {
                writeOneFile(new PitPartition(unit.getKey(), day), unit.getValue());
            }
        }
        return rows;
    }

    /**
     * One partition of {@code rows} rows in {@code files} files (a unit-day of a large backlog): 100 ids a package, one
     * submission each, with its one-file twin when {@code oneFile} is set. Returns the rows written.
     */
    long writeBigPartition(PitPartition partition, long rows, int files) throws IOException {
        SplittableRandom random = new SplittableRandom(partition.requestDate().toEpochDay());
        Instant dayStart = partition.requestDate().atStartOfDay().toInstant(ZoneOffset.UTC);
        List<Object[]> dayRows = new ArrayList<>();
        long written = 0;
        long perFile = (rows + files - 1) / files;
        for (int f = 0; f < files && written < rows; f++) {
            Instant runStart = dayStart.plusSeconds(60L * (f + 1));
            RunId run = RunId.generate(runStart, new Random(random.nextLong()));
            TreeMap<String, long[]> packages = new TreeMap<>();
            for (long n = 0; n < Math.min(perFile, rows - written); n += 100) {
                packages.put(String.format("big_%07d", f * perFile + n), random.longs(100, 1, 1_000_000_000L).sorted().toArray());
            }
            written += writeRun(partition, run, runStart, 60, packages, random, dayRows);
        }
        if (oneFile != null) {
            writeOneFile(partition, dayRows);
        }
        return written;
    }

    private long[] ids(SplittableRandom random) {
        return random.longs(shape.minIds() + random.nextInt(shape.maxIds() - shape.minIds() + 1), 1, 1_000_000L).sorted().distinct().toArray();
    }

    /** One run's file for one partition; a package with no ids is a tombstone row. */
    private long writeRun(PitPartition partition, RunId run, Instant runStart, int interval, TreeMap<String, long[]> packages,
                          SplittableRandom random, List<Object[]> dayRows) throws IOException {
        long rows = 0;
        String key = StorageLayout.pitFileKey(partition, run, 0);
        try (PitParquetWriter writer = PitParquetWriter.open(store.startUpload(key), key, 1024 * 1024)) {
            for (Map.Entry<String, long[]> pkg : packages.entrySet()) {
                // accepted by the API some time since the previous run, on the same day
                Instant at = runStart.minusSeconds(1 + random.nextInt(interval - 1));
                if (!at.atOffset(ZoneOffset.UTC).toLocalDate().equals(partition.requestDate())) {
                    at = runStart;
                }
                String id = SubmissionId.generate(at, new Random(random.nextLong())).toString();
                if (pkg.getValue().length == 0) {
                    writer.write(null, pkg.getKey(), at.toEpochMilli(), id, "bench", run.value());
                    keep(dayRows, null, pkg.getKey(), at, id, run);
                    rows++;
                }
                for (long ref : pkg.getValue()) {
                    writer.write(ref, pkg.getKey(), at.toEpochMilli(), id, "bench", run.value());
                    keep(dayRows, ref, pkg.getKey(), at, id, run);
                    rows++;
                }
            }
            writer.commit();
        }
        return rows;
    }

    private void keep(List<Object[]> dayRows, Long ref, String packageName, Instant at, String id, RunId run) {
        if (oneFile != null) {
            dayRows.add(new Object[] {ref, packageName, at.toEpochMilli(), id, run.value()});
        }
    }

    private void writeOneFile(PitPartition partition, List<Object[]> rows) throws IOException {
        rows.sort((a, b) -> {
            int c = ((String) a[1]).compareTo((String) b[1]);
            if (c != 0) {
                return c;
            }
            c = Long.compare(a[0] == null ? Long.MIN_VALUE : (long) a[0], b[0] == null ? Long.MIN_VALUE : (long) b[0]);
            return c != 0 ? c : ((String) a[3]).compareTo((String) b[3]);
        });
        String key = StorageLayout.pitFileKey(partition, new RunId(partition.requestDate().toString().replace("-", "") + "t000000z-00000000"), 0);
        try (PitParquetWriter writer = PitParquetWriter.open(oneFile.startUpload(key), key, PitParquetWriter.DEFAULT_ROW_GROUP_BYTES)) {
            for (Object[] row : rows) {
                writer.write((Long) row[0], (String) row[1], (long) row[2], (String) row[3], "bench", (String) row[4]);
            }
            writer.commit();
        }
    }
}
