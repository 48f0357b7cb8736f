package dev.soi.bench;

import dev.soi.batch.compaction.CompactionRecord;
import dev.soi.batch.compaction.CompactionState;
import dev.soi.batch.journal.JournalJson;
import dev.soi.batch.journal.ManifestState;
import dev.soi.batch.journal.RunManifest;
import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageChange;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.IndexLayout;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.Submission;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.ObjectStore;
import dev.soi.parquet.PitParquetWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The state {@code days} days of 5-minute scheduled runs leave in the bucket, written straight into the store (not
 * through the runs, which would take days): for every run a DONE manifest (one submission per unit, one file per unit);
 * for every closed day each unit's partition compacted into one file, with its DONE compaction record and its old
 * folder gone; for today (the last day, up to {@code todayRuns} runs) each run's small files in the partitions' own
 * folders; one dead-letter record a day; the applied index as the runs leave it (a marker a run for the hour its
 * submissions were accepted in, and {@code applied-since.json} naming the first run). The catalog is not touched: the benchmark registers the partitions with the
 * batch's {@code bootstrap}, as an operator repairing a lost catalog would, and builds the first latest version itself.
 * Deterministic: the same arguments write the same keys.
 */
final class YearLayout {
    static final int RUNS_PER_DAY = 288;
    private static final int IDS_PER_PACKAGE = 3;
    private static final int PACKAGES = 50;

    private final ObjectStore store;
    private final List<BusinessUnit> units;
    private final LocalDate firstDay;
    private final int days;
    private final int todayRuns;
    private final Map<String, Long> objects = new LinkedHashMap<>();

    YearLayout(ObjectStore store, List<BusinessUnit> units, LocalDate firstDay, int days, int todayRuns) {
        this.store = store;
        this.units = List.copyOf(units);
        this.firstDay = firstDay;
        this.days = days;
        this.todayRuns = todayRuns;
    }

    LocalDate today() {
        return firstDay.plusDays(days - 1);
    }

    /** When the last laid-out run started; the next scheduled run is 5 minutes later. */
    Instant lastRunStart() {
        return runStart(today(), todayRuns - 1);
    }

    /** The objects written, by kind. */
    Map<String, Long> objects() {
        return objects;
    }

    /** Writes every day; returns the run id of the last run, whose latest version the benchmark builds. */
    RunId write() {
        RunId last = null;
        RunId first = runId(firstDay, 0);
        put(IndexLayout.APPLIED_SINCE_KEY, json("{\"since\":\"" + runStart(firstDay, 0) + "\",\"run_id\":\"" + first + "\"}"),
                "applied_index_start");
        for (int d = 0; d < days; d++) {
            LocalDate day = firstDay.plusDays(d);
            boolean today = d == days - 1;
            int runs = today ? todayRuns : RUNS_PER_DAY;
            List<RunId> dayRuns = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                RunId run = runId(day, r);
                dayRuns.add(run);
                writeManifest(day, r, run, today);
                last = run;
            }
            if (!today) {
                for (BusinessUnit unit : units) {
                    compacted(new PitPartition(unit, day), dayRuns);
                }
            }
            deadLetter(day);
            if ((d + 1) % 30 == 0) {
                System.out.printf("  %d of %d days laid out%n", d + 1, days);
            }
        }
        return last;
    }

    /**
     * A submission run {@code r} of the day {@code daysBack} days before today committed: the one an old message
     * redelivered now (a DLQ redrive, or a redrive sent twice) stands for.
     */
    Submission committedSubmission(int daysBack, int r) {
        LocalDate day = today().minusDays(daysBack);
        BusinessUnit unit = units.get(0);
        return new Submission(submissionId(day, r, 0), acceptedAt(day, r), "bench", unit,
                List.of(PackageChange.set(packageName(r), ids(day, r, 0))));
    }

    // ------------------------------------------------------------------ what one run and one day leave

    private void writeManifest(LocalDate day, int r, RunId run, boolean today) {
        List<RunManifest.SubmissionEntry> submissions = new ArrayList<>();
        List<RunManifest.PartitionEntry> partitions = new ArrayList<>();
        List<RunManifest.FileEntry> files = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            BusinessUnit unit = units.get(u);
            PitPartition partition = new PitPartition(unit, day);
            submissions.add(new RunManifest.SubmissionEntry(submissionId(day, r, u).toString(), unit.code(), acceptedAt(day, r),
                    IDS_PER_PACKAGE));
            partitions.add(RunManifest.PartitionEntry.of(partition));
            String key = StorageLayout.pitFileKey(partition, run, 0);
            long bytes = today ? writeRunFile(key, partition, day, r, u, run) : 2_000;
            files.add(new RunManifest.FileEntry(key, unit.code(), day, IDS_PER_PACKAGE, bytes));
        }
        Instant started = runStart(day, r);
        RunManifest manifest = new RunManifest(run.value(), ManifestState.DONE, 1 + (long) day.toEpochDay() * RUNS_PER_DAY + r, started,
                started.plusSeconds(20), submissions, partitions, files, run.value(), List.of(),
                Map.of("lease", 40L, "drain", 300L, "write-pit-files", 400L, "rebuild-latest", 9_000L), List.of());
        // Before the manifest, as AppliedIndex.mark: one marker, all of a run's submissions were accepted in one hour.
        put(IndexLayout.appliedKey(acceptedAt(day, r), run), json("{\"run_id\":\"" + run + "\"}"), "applied_markers");
        put(StorageLayout.manifestKey(run), JournalJson.write(manifest), "manifests");
    }

    private long writeRunFile(String key, PitPartition partition, LocalDate day, int r, int u, RunId run) {
        try (PitParquetWriter writer = PitParquetWriter.open(store.startUpload(key), key, 1024 * 1024)) {
            writeRows(writer, day, r, u, run);
            long bytes = writer.commit().bytes();
            count("pit_files_today");
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The day's rows of one unit in one file of a compaction that ran the next morning; its DONE record. */
    private void compacted(PitPartition partition, List<RunId> dayRuns) {
        RunId compaction = RunId.generate(partition.requestDate().plusDays(1).atTime(1, 10).toInstant(ZoneOffset.UTC)
                .plus(Duration.ofMinutes(5L * units.indexOf(partition.businessUnit()) / 4)), new Random(partition.hashCode()));
        String folder = StorageLayout.compactedPartitionPrefix(partition, compaction);
        String key = StorageLayout.pitFileKey(folder, compaction, 0);
        long bytes;
        int u = units.indexOf(partition.businessUnit());
        try (PitParquetWriter writer = PitParquetWriter.open(store.startUpload(key), key, PitParquetWriter.DEFAULT_ROW_GROUP_BYTES)) {
            for (int r = 0; r < dayRuns.size(); r++) {
                writeRows(writer, partition.requestDate(), r, u, dayRuns.get(r));
            }
            bytes = writer.commit().bytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        count("pit_files_compacted");
        Instant done = compaction.startedAt().plusSeconds(30);
        CompactionRecord record = new CompactionRecord(partition.businessUnit().code(), partition.requestDate(), CompactionState.DONE,
                compaction.value(), folder, null, null, null, (long) dayRuns.size() * IDS_PER_PACKAGE, "0", dayRuns.size(), 1,
                2_000L * dayRuns.size(), bytes, done.plus(Duration.ofHours(2)), 0);
        put(IndexLayout.compactionKey(partition), JournalJson.write(record), "compaction_records");
    }

    private void writeRows(PitParquetWriter writer, LocalDate day, int r, int u, RunId run) throws IOException {
        String id = submissionId(day, r, u).toString();
        long at = acceptedAt(day, r).toEpochMilli();
        for (long ref : ids(day, r, u)) {
            writer.write(ref, packageName(r), at, id, "bench", run.value());
        }
    }

    private void deadLetter(LocalDate day) {
        SubmissionId id = SubmissionId.generate(day.atTime(9, 0).toInstant(ZoneOffset.UTC), new Random(day.toEpochDay()));
        String json = "{\"submission_id\":\"" + id + "\",\"reason\":\"reference_ids: not an integer\",\"dead_lettered_at\":\""
                + day.atTime(9, 5).toInstant(ZoneOffset.UTC) + "\"}";
        put(StorageLayout.deadLetterKey(id), json(json), "dead_letter_records");
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ deterministic names

    private static Instant runStart(LocalDate day, int r) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(300L * r);
    }

    private static RunId runId(LocalDate day, int r) {
        return RunId.generate(runStart(day, r), new Random(day.toEpochDay() * 1000 + r));
    }

    /** Accepted by the API a minute before the run; a day's first run (at midnight) took one of that same second. */
    private static Instant acceptedAt(LocalDate day, int r) {
        return runStart(day, r).minusSeconds(r == 0 ? 0 : 60);
    }

    private SubmissionId submissionId(LocalDate day, int r, int u) {
        return SubmissionId.generate(acceptedAt(day, r), new Random((day.toEpochDay() * 1000 + r) * 100 + u));
    }

    private static long[] ids(LocalDate day, int r, int u) {
        return new SplittableRandom((day.toEpochDay() * 1000 + r) * 100 + u).longs(IDS_PER_PACKAGE, 1, 1_000_000L).distinct().sorted().toArray();
    }

    private static String packageName(int r) {
        return String.format("job_%02d", r % PACKAGES);
    }

    private void put(String key, byte[] content, String kind) {
        store.put(key, content);
        count(kind);
    }

    private void count(String kind) {
        objects.merge(kind, 1L, Long::sum);
    }
}
