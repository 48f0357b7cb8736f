package dev.soi.embedded;

import static dev.soi.core.domain.Checks.checkArgument;
import static dev.soi.core.domain.Checks.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local engine's catalog: what Glue holds in AWS (the database, each table's location, the registered
 * PIT partitions), kept as one small JSON file so that any number of processes (the local stack and
 * {@code ./soi query}) can read it while one writes. DuckDB itself cannot be shared that way: a database
 * file open for writing refuses every other opener.
 *
 * <p>Writes replace the file atomically (temp file + rename), so a reader sees the old or the new catalog.
 * Only the batch writes, under the run lease, so concurrent writers need no further coordination; writes
 * within one JVM are serialised by the engine.
 */
final class DuckDbCatalog {
    static final String FILE_NAME = "catalog.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The catalog's content. Tables map a table name to its location; partitions are PIT partitions. */
    record State(String database, Map<String, String> tables, List<Partition> partitions) {
        State {
            tables = new LinkedHashMap<>(tables == null ? Map.of() : tables);
            partitions = new ArrayList<>(partitions == null ? List.of() : partitions);
        }

        static State empty() {
            return new State(null, Map.of(), List.of());
        }
    }

    record Partition(String businessUnit, String requestDate, String location) {
        Partition {
            requireNonNull(businessUnit, "business unit");
            requireNonNull(requestDate, "request date");
            requireNonNull(location, "location");
        }
    }

    private final Path file;

    DuckDbCatalog(Path directory) {
        requireNonNull(directory, "catalog directory");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the local catalog directory " + directory, e);
        }
        this.file = directory.resolve(FILE_NAME);
    }

    State read() {
        if (!Files.exists(file)) {
            return State.empty();
        }
        try {
            return JSON.readValue(Files.readAllBytes(file), State.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the local catalog " + file, e);
        } catch (tools.jackson.core.JacksonException e) {
            throw new IllegalStateException("the local catalog " + file + " is damaged (" + e.getOriginalMessage() + "). Repair: "
                    + "move it aside (mv " + file + " " + file + ".damaged) and run ./soi bootstrap, which rebuilds the catalog "
                    + "from the data folder: every PIT partition registered, the latest table at the last published version", e);
        }
    }

    void write(State state) {
        try {
            Path tmp = Files.createTempFile(file.getParent(), ".catalog", ".tmp");
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the local catalog " + file, e);
        }
    }

    static Optional<String> table(State state, String name) {
        return Optional.ofNullable(state.tables().get(name));
    }

    static void checkDatabase(State state, String database) {
        checkArgument(state.database() == null || state.database().equals(database),
                "this local catalog holds database %s, not %s", state.database(), database);
    }
}
