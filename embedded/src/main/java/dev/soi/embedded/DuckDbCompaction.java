package dev.soi.embedded;

import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.sql.SqlTemplates.tokens;

import dev.soi.core.port.QueryFailedException;
import dev.soi.core.port.QueryResult;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.Statement;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The compaction statements on DuckDB, each over one partition's own files: the partition's registered folder, or the
 * compaction table's. None builds a view of the whole PIT table (listing every registered file), so a compaction
 * costs the partition's size at any history length. Stateless; the engine passes the catalog it read.
 */
final class DuckDbCompaction {
    private final SqlTemplates templates;
    private final DuckDbSessions sessions;

    DuckDbCompaction(SqlTemplates templates, DuckDbSessions sessions) {
        this.templates = requireNonNull(templates, "templates");
        this.sessions = requireNonNull(sessions, "sessions");
    }

    /** {@code athena/partition_checksum}: the partition as the table reads it; an unregistered one reads no row. */
    QueryResult partitionChecksum(DuckDbCatalog.State state, Statement statement) {
        return checksum(statement, partitionFiles(state, (String) statement.parameters().get(0), (String) statement.parameters().get(1)));
    }

    /** {@code athena/compaction_checksum}: the files under the compaction table's folder. */
    QueryResult compactionChecksum(DuckDbCatalog.State state, Statement statement) {
        String location = state.tables().get(statement.tokenText("compaction_table"));
        if (location == null) {
            throw new QueryFailedException(statement.template(), "table " + statement.tokenText("compaction_table") + " does not exist", null);
        }
        return checksum(statement, DuckDbSessions.parquetFiles(location));
    }

    /**
     * {@code athena/compact_partition}: the partition's rows into {@code bucket_count} files in the new folder, which must
     * hold none yet (as a CTAS's location); returns the folder, the table's location.
     */
    String compactPartition(DuckDbCatalog.State state, Statement statement) {
        String location = statement.tokenText("location");
        Path folder = Path.of(location);
        if (!DuckDbSessions.parquetFiles(location).isEmpty()) {
            throw new QueryFailedException(statement.template(), "target location " + location + " is not empty; a CTAS needs a fresh location", null);
        }
        List<String> files = partitionFiles(state, ((SqlToken.Literal) statement.token("business_unit")).value(),
                ((SqlToken.Literal) statement.token("request_date")).value());
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + folder, e);
        }
        if (files.isEmpty()) {
            return location; // an empty table, as a CTAS over no rows makes
        }
        long buckets = ((SqlToken.Count) statement.token("bucket_count")).value();
        try (Connection connection = sessions.bare()) {
            for (long bucket = 0; bucket < buckets; bucket++) {
                Statement copy = templates.render("duckdb/compact_partition", tokens("files", sessions.fileList(files),
                        "file", SqlToken.location(folder.resolve("data-" + bucket + ".parquet").toString())), buckets, bucket);
                DuckDbResults.run(connection, copy, false);
            }
        } catch (SQLException e) {
            throw new QueryFailedException(statement.template(), e.getMessage(), e);
        }
        return location;
    }

    private QueryResult checksum(Statement statement, List<String> files) {
        if (files.isEmpty()) {
            return new QueryResult(List.of("row_count", "checksum"), List.of(List.of(0L, "")));
        }
        try (Connection connection = sessions.bare()) {
            return DuckDbResults.run(connection, templates.render("duckdb/files_checksum", tokens("files", sessions.fileList(files))), true);
        } catch (SQLException e) {
            throw new QueryFailedException(statement.template(), e.getMessage(), e);
        }
    }

    /** The files of the partition's registered folder; none when it is not registered, as the table reads none. */
    private static List<String> partitionFiles(DuckDbCatalog.State state, String unit, String date) {
        return state.partitions().stream().filter(p -> p.businessUnit().equals(unit) && p.requestDate().equals(date))
                .findFirst().map(p -> DuckDbSessions.parquetFiles(p.location())).orElse(List.of());
    }
}
