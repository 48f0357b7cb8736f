package dev.soi.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.PitRow;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.ObjectStore;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.Statement;
import dev.soi.core.sql.TableStatements;
import dev.soi.parquet.PitParquetWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Provide;

/**
 * The incremental rebuild (per unit: {@code common/latest_unit_incremental} for a unit the run touched,
 * {@code common/latest_unit_copy} for the others) gives exactly the rows of a full rebuild
 * ({@code common/latest_unit_from_pit} for every unit) after every run, for random histories: several units and packages,
 * overlapping id sets, deletions, equal timestamps, and versions arriving out of order across runs (a run may
 * carry a version older than one already in the table, dated days earlier). An engine's test subclasses this,
 * supplies its engine, and declares a {@code @Property} over {@link #histories()} that calls {@link #check}; the
 * rows are read through {@code queries/latest_unit}, so every engine is checked the same way.
 */
public abstract class IncrementalLatestEquivalence {
    private static final Instant DAY0 = Instant.parse("2026-11-01T00:00:00Z");
    private static final List<BusinessUnit> UNITS = List.of(BusinessUnit.of("AE"), BusinessUnit.of("CMF"));

    /** A fresh engine with an empty catalog for database {@code df_trusted_prop}, its files under {@code home}. */
    protected abstract QueryEngine newEngine(Path home);

    /** Where the engine finds the object under {@code key} of a {@link FileSystemObjectStore} rooted at {@code home/data}. */
    protected abstract Function<String, String> locationOfKey(Path home);

    /** One submitted version of a package: a tombstone when {@code ids} is empty. */
    public record Version(String unit, String packageName, int day, int second, List<Long> ids) {}

    @Provide
    public Arbitrary<List<List<Version>>> histories() {
        Arbitrary<Version> version = Combinators.combine(
                Arbitraries.of("AE", "CMF"),
                Arbitraries.of("job_1", "job_2", "job_3"),
                Arbitraries.integers().between(0, 3),
                // few distinct seconds, so equal timestamps happen often
                Arbitraries.integers().between(0, 2),
                Arbitraries.longs().between(1, 6).list().ofMaxSize(4)
        ).as(Version::new);
        return version.list().ofMinSize(1).ofMaxSize(5).list().ofMinSize(1).ofMaxSize(4);
    }

    protected void check(List<List<Version>> runs) throws IOException {
        Path home = Files.createTempDirectory("soi-equivalence");
        try {
            check(home, runs, newEngine(home));
        } finally {
            try (var files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void check(Path home, List<List<Version>> runs, QueryEngine engine) {
        FileSystemObjectStore store = new FileSystemObjectStore(home.resolve("data"));
        TableStatements statements = new TableStatements(new SqlTemplates(), "df_trusted_prop", locationOfKey(home));
        engine.execute(statements.createDatabase());
        engine.execute(statements.createPitTable());
        engine.execute(statements.createLatestTable(StorageLayout.latestVersionPrefix(StorageLayout.LATEST_EMPTY_VERSION), UNITS));
        SplittableRandom random = new SplittableRandom(runs.hashCode());

        for (int k = 0; k < runs.size(); k++) {
            RunId run = new RunId(String.format("20261110t0000%02dz-0000abcd", k));
            Map<PitPartition, List<PitRow>> byPartition = new TreeMap<>();
            for (Version v : runs.get(k)) {
                Instant at = DAY0.plusSeconds(v.day() * 86_400L + v.second());
                SubmissionId id = SubmissionId.generate(at, random);
                LocalDate date = at.atOffset(ZoneOffset.UTC).toLocalDate();
                PitPartition partition = new PitPartition(BusinessUnit.of(v.unit()), date);
                List<Long> ids = v.ids().stream().distinct().sorted().toList();
                List<PitRow> rows = byPartition.computeIfAbsent(partition, p -> new ArrayList<>());
                if (ids.isEmpty()) {
                    rows.add(new PitRow(null, PackageName.of(v.packageName()), at, id, "prop", run.value(), partition.businessUnit(), date));
                } else {
                    ids.forEach(ref -> rows.add(new PitRow(ref, PackageName.of(v.packageName()), at, id, "prop", run.value(), partition.businessUnit(), date)));
                }
            }
            byPartition.forEach((partition, rows) -> write(store, StorageLayout.pitFileKey(partition, run, 0), rows));
            statements.addPartitions(List.copyOf(byPartition.keySet())).forEach(engine::execute);

            String version = "v" + k;
            Map<BusinessUnit, Statement> selects = new java.util.LinkedHashMap<>();
            for (BusinessUnit unit : UNITS) {
                java.util.Optional<LocalDate> window = byPartition.keySet().stream().filter(p -> p.businessUnit().equals(unit))
                        .map(PitPartition::requestDate).min(LocalDate::compareTo);
                selects.put(unit, k == 0 ? statements.latestUnitFromPit(unit) : window
                        .map(start -> statements.latestUnitIncremental(unit, start, run)).orElse(statements.latestUnitCopy(unit)));
            }
            build(engine, statements, version, selects);

            List<List<Object>> incremental = latestRows(engine, statements);
            // The full rebuild of the same history, swapped in only to be read the same way.
            Map<BusinessUnit, Statement> full = new java.util.LinkedHashMap<>();
            UNITS.forEach(unit -> full.put(unit, statements.latestUnitFromPit(unit)));
            build(engine, statements, "full" + k, full);
            List<List<Object>> expected = latestRows(engine, statements);
            engine.execute(statements.swapLatest(StorageLayout.latestVersionPrefix(version), UNITS));

            assertThat(incremental).as("latest after run %d of %s", k, runs).isEqualTo(expected);
        }
    }

    /** Writes each unit of {@code version} with its SELECT, then swaps the version in, as the batch does. */
    private static void build(QueryEngine engine, TableStatements statements, String version, Map<BusinessUnit, Statement> selects) {
        String staging = "security_of_interest_latest_stg_" + version;
        selects.forEach((unit, select) -> {
            engine.execute(statements.createLatestUnit(staging + "_u", LatestLayout.latestUnitPrefix(version, unit), select));
            engine.execute(statements.dropStaging(staging + "_u"));
        });
        engine.execute(statements.swapLatest(StorageLayout.latestVersionPrefix(version), UNITS));
    }

    /** Every unit's latest rows, as (unit, package, reference id, submission id). */
    private static List<List<Object>> latestRows(QueryEngine engine, TableStatements statements) {
        List<List<Object>> rows = new ArrayList<>();
        for (BusinessUnit unit : UNITS) {
            QueryResult result = engine.query(statements.latestUnit(unit));
            for (int i = 0; i < result.rows().size(); i++) {
                rows.add(List.of(unit.code(), result.value(i, "package_name"), result.value(i, "reference_id"),
                        result.value(i, "submission_id")));
            }
        }
        return rows;
    }

    private static void write(ObjectStore store, String key, List<PitRow> rows) {
        List<PitRow> sorted = rows.stream()
                .sorted(Comparator.comparing((PitRow r) -> r.packageName().value())
                        .thenComparing(r -> r.referenceId() == null ? -1L : r.referenceId()))
                .collect(Collectors.toList());
        try (PitParquetWriter writer = PitParquetWriter.open(store.startUpload(key), key, PitParquetWriter.DEFAULT_ROW_GROUP_BYTES)) {
            sorted.forEach(writer::write);
            writer.commit();
        }
    }
}
