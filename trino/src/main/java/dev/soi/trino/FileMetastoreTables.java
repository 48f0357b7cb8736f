package dev.soi.trino;

import static dev.soi.core.domain.Checks.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sets a table's properties in the stand-in's file metastore, as Athena's {@code ALTER TABLE … SET TBLPROPERTIES} sets
 * them in Glue (one {@code UpdateTable}). Trino's Hive connector has no SQL for it ({@code ALTER TABLE … SET PROPERTIES}
 * is not supported by the connector), and a DROP and CREATE would leave readers a moment with no table; so the
 * stand-in rewrites the table's metadata file ({@code <metastore>/<schema>/<table>/.trinoSchema}, JSON with a
 * {@code parameters} map) the way Glue changes a table: the whole new definition replaces the old at once, by writing a
 * temporary file beside it and renaming it over it. A query reads the file once when it plans, so it plans over the old
 * properties or the new ones, never a mix. Every other field of the file is kept as it was. Thread-safe within a process
 * (one writer at a time); across processes only the batch, under its lease, writes.
 */
final class FileMetastoreTables {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TABLE_FILE = ".trinoSchema";

    private final Path metastore;

    FileMetastoreTables(Path metastore) {
        this.metastore = requireNonNull(metastore, "metastore folder");
    }

    /** Sets {@code properties} among the table parameters of {@code schema.table}, leaving the others as they are. */
    synchronized void setProperties(String schema, String table, Map<String, String> properties) {
        Path file = metastore.resolve(schema).resolve(table).resolve(TABLE_FILE);
        try {
            JsonNode definition = JSON.readTree(Files.readAllBytes(file));
            if (!(definition.get("parameters") instanceof ObjectNode parameters)) {
                throw new IllegalStateException("the metastore file " + file + " has no parameters object");
            }
            properties.forEach(parameters::put);
            Path temporary = Files.createTempFile(file.getParent(), ".soi-", ".tmp");
            try {
                Files.write(temporary, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(definition));
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException("table " + schema + "." + table + " does not exist (no " + file + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set the properties of " + schema + "." + table + " in " + file, e);
        }
    }
}
