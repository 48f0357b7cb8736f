package dev.soi.api.fakes;

import static java.util.Objects.requireNonNull;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import dev.soi.core.port.QueryEngine;
import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.Statement;
import dev.soi.core.sql.TableStatements;
import dev.soi.core.testing.InMemoryObjectStore;
import dev.soi.core.testing.InMemoryQueryEngine;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API's query engine in tests: core's in-memory engine, which passes the {@code QueryEngineContract}, over the
 * test's object store, holding tables seeded as the batch leaves them (a PIT file written, its partition registered,
 * the latest table rebuilt and swapped). It records the statements the API issues (not the seeding's), and can make
 * every query fail, with the port's failure or with one the port does not declare.
 *
 * <p>The seeded PIT files hold their rows as JSON lines, not Parquet: the API's classpath must carry no Parquet
 * library ({@code LambdaClasspathTest}), and the engine reads a file through the reader it is given. What the API's
 * reads depend on, the engine's catalog and query semantics, is the contract-tested one.
 */
public final class SeededQueryEngine implements QueryEngine {
    private final java.util.Set<BusinessUnit> seededUnits = new java.util.HashSet<>();
    /** A row the latest table must hold: it is seeded as a PIT version and the table rebuilt. */
    public record LatestRow(String businessUnit, String packageName, long referenceId, Instant eventTimestamp, String submissionId) {}

    /** A PIT row of a submission in a partition, in a package of its own. */
    public record PitRow(String businessUnit, String requestDate, String submissionId) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final InMemoryObjectStore store;
    private final TableStatements tables;
    private final List<Statement> statements = new ArrayList<>();
    private InMemoryQueryEngine engine;
    private int seeded;
    private volatile boolean failing;
    private volatile RuntimeException broken;

    public SeededQueryEngine(InMemoryObjectStore store, TableStatements tables) {
        this.store = requireNonNull(store, "store is null");
        this.tables = requireNonNull(tables, "tables is null");
        reset();
    }

    /** Empty tables, no statement recorded, every switch off. */
    public synchronized void reset() {
        engine = new InMemoryQueryEngine(store, SeededQueryEngine::read);
        seededUnits.clear();
        engine.execute(tables.createDatabase());
        engine.execute(tables.createPitTable());
        engine.execute(tables.createLatestTable(StorageLayout.latestVersionPrefix(StorageLayout.LATEST_EMPTY_VERSION),
                List.of(BusinessUnit.of("AE"))));
        statements.clear();
        failing = false;
        broken = null;
    }

    public synchronized void addLatest(LatestRow row) {
        write(new dev.soi.core.domain.PitRow(row.referenceId(), PackageName.of(row.packageName()), row.eventTimestamp(),
                SubmissionId.parse(row.submissionId()), "seed", "seed", BusinessUnit.of(row.businessUnit()),
                row.eventTimestamp().atOffset(ZoneOffset.UTC).toLocalDate()));
        String version = seedRun().value();
        String staging = StorageLayout.stagingTable(new RunId(version));
        BusinessUnit unit = BusinessUnit.of(row.businessUnit());
        // The batch's rebuild, for the one unit the seed touched: the in-memory engine gives every unit statement its
        // unit's latest rows from PIT, so the other units' folders are written the same way.
        java.util.Set<BusinessUnit> units = new java.util.TreeSet<>(java.util.Comparator.comparing(BusinessUnit::code));
        units.add(unit);
        units.addAll(seededUnits);
        seededUnits.add(unit);
        for (BusinessUnit u : units) {
            engine.execute(tables.createLatestUnit(StorageLayout.stagingTable(new RunId(version), u),
                    StorageLayout.latestUnitPrefix(version, u), tables.latestUnitFromPit(u)));
            engine.execute(tables.dropStaging(StorageLayout.stagingTable(new RunId(version), u)));
        }
        engine.execute(tables.swapLatest(StorageLayout.latestVersionPrefix(version), List.copyOf(units)));
    }

    public synchronized void addPit(PitRow row) {
        SubmissionId id = SubmissionId.parse(row.submissionId());
        write(new dev.soi.core.domain.PitRow(1L, PackageName.of("seed_" + id), id.timestamp(), id, "seed", "seed",
                BusinessUnit.of(row.businessUnit()), LocalDate.parse(row.requestDate())));
    }

    /** The statements the API issued since the last {@link #reset()}, in order. */
    public synchronized List<Statement> statements() {
        return List.copyOf(statements);
    }

    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** Every query throws this: a failure the port does not declare, such as an unreadable local catalog. */
    public void broken(RuntimeException error) {
        this.broken = error;
    }

    @Override
    public void execute(Statement statement) {
        throw new UnsupportedOperationException("the API never executes DDL");
    }

    @Override
    public synchronized QueryResult query(Statement statement) {
        statements.add(statement);
        if (broken != null) {
            throw broken;
        }
        if (failing) {
            throw new QueryFailedException(statement.template(), "engine unreachable (test switch)", null);
        }
        return engine.query(statement);
    }

    /** One PIT file holding {@code row}, its partition registered. */
    private void write(dev.soi.core.domain.PitRow row) {
        PitPartition partition = new PitPartition(row.businessUnit(), row.requestDate());
        java.util.LinkedHashMap<String, Object> line = new java.util.LinkedHashMap<>();
        line.put("reference_id", row.referenceId());
        line.put("package_name", row.packageName().value());
        line.put("event_timestamp", row.eventTimestamp().toString());
        line.put("submission_id", row.submissionId().toString());
        store.put(StorageLayout.pitFileKey(partition, seedRun(), 0), JSON.writeValueAsBytes(line));
        tables.addPartitions(List.of(partition)).forEach(engine::execute);
    }

    /** The rows of a seeded file: one JSON object, in the partition its key names. */
    private static List<dev.soi.core.domain.PitRow> read(String key, byte[] content) {
        PitPartition partition = StorageLayout.partitionOf(key).orElseThrow();
        JsonNode line = JSON.readTree(new String(content, StandardCharsets.UTF_8));
        return List.of(new dev.soi.core.domain.PitRow(line.get("reference_id").asLong(), PackageName.of(line.get("package_name").asString()),
                Instant.parse(line.get("event_timestamp").asString()), SubmissionId.parse(line.get("submission_id").asString()),
                "seed", "seed", partition.businessUnit(), partition.requestDate()));
    }

    private RunId seedRun() {
        return new RunId(String.format("20200101t000000z-%08x", ++seeded));
    }
}
