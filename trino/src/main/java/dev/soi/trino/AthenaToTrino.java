package dev.soi.trino;

import static dev.soi.core.domain.Checks.requireNonNull;
import static dev.soi.core.sql.SqlTemplates.tokens;

import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.SqlToken;
import dev.soi.core.sql.Statement;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Athena statements of {@code sql/athena} that Trino does not take as written, mapped by template name to
 * their Trino forms in {@code sql/trino}. Every other statement, including every SELECT fragment inside a CTAS,
 * runs byte for byte as rendered for Athena.
 *
 * <table>
 *   <caption>Athena template → Trino</caption>
 *   <tr><th>athena/create_database</th><td>trino/create_schema (CREATE SCHEMA)</td></tr>
 *   <tr><th>athena/create_pit_table</th><td>trino/create_pit_table (CREATE TABLE … WITH; {@code string} → {@code varchar})</td></tr>
 *   <tr><th>athena/create_latest_table</th><td>trino/create_latest_table (the projection's Glue properties as Trino's
 *       table and column properties, which Trino stores under the same Glue names)</td></tr>
 *   <tr><th>athena/create_latest_unit_ctas</th><td>trino/create_latest_unit_ctas (no write_compression; session property
 *       instead)</td></tr>
 *   <tr><th>athena/add_partitions</th><td>one trino/register_partition call per partition not yet registered</td></tr>
 *   <tr><th>athena/swap_latest</th><td>no SQL: Trino's Hive connector cannot set table properties, so the engine sets the
 *       two properties in its file metastore in one atomic file replace ({@link #swapProperties})</td></tr>
 *   <tr><th>athena/compact_partition</th><td>trino/compact_partition (no write_compression; session property instead)</td></tr>
 *   <tr><th>athena/set_partition_location</th><td>trino/unregister_partition, then trino/register_partition at the new
 *       folder (Trino cannot ALTER a partition's location)</td></tr>
 * </table>
 *
 * <p>Locations: an {@code s3://} location becomes {@code local:///} over the folder {@link TrinoProperties#folders()}
 * maps it to; an absolute path becomes {@code local://} + path.
 */
public final class AthenaToTrino {
    /** Templates whose Athena text Trino rejects; all others run verbatim. */
    public static final Set<String> TRANSLATED = Set.of("athena/create_database", "athena/create_pit_table",
            "athena/create_latest_table", "athena/create_latest_unit_ctas", "athena/add_partitions", "athena/swap_latest",
            "athena/compact_partition", "athena/set_partition_location");

    private final SqlTemplates templates;
    /** s3 prefix to local folder, longest prefix first, so the most specific mapping wins. */
    private final Map<String, String> folders = new LinkedHashMap<>();

    public AthenaToTrino(SqlTemplates templates, Map<String, String> folders) {
        this.templates = requireNonNull(templates, "templates");
        requireNonNull(folders, "folders").entrySet().stream()
                .sorted((a, b) -> b.getKey().length() - a.getKey().length())
                .forEach(e -> this.folders.put(e.getKey(), e.getValue()));
    }

    /** One partition of an athena/add_partitions statement and the call that registers it. */
    public record PartitionRegistration(String businessUnit, String requestDate, Statement call) {}

    /** The Trino statements that do what {@code athena} does, in order. Not for athena/add_partitions or athena/swap_latest. */
    public List<Statement> translate(Statement athena) {
        return switch (athena.template()) {
            case "athena/create_database" -> List.of(templates.render("trino/create_schema", tokens("database", athena.token("database"))));
            case "athena/create_pit_table" -> List.of(templates.render("trino/create_pit_table",
                    tokens("database", athena.token("database"), "location", local(athena.token("location")))));
            case "athena/create_latest_table" -> List.of(templates.render("trino/create_latest_table", tokens(
                    "database", athena.token("database"),
                    "table", athena.token("table"),
                    "location", local(athena.token("location")),
                    "units", unitValues(athena),
                    "location_template", localTemplate(athena))));
            case "athena/create_latest_unit_ctas" -> List.of(templates.render("trino/create_latest_unit_ctas", tokens(
                    "database", athena.token("database"),
                    "staging_table", athena.token("staging_table"),
                    "location", local(athena.token("location")),
                    "select", athena.token("select"))));
            case "athena/swap_latest" -> throw new IllegalArgumentException(
                    "athena/swap_latest is no SQL on Trino: use swapProperties(statement)");
            case "athena/compact_partition" -> List.of(templates.render("trino/compact_partition", tokens(
                    "database", athena.token("database"),
                    "compaction_table", athena.token("compaction_table"),
                    "location", local(athena.token("location")),
                    "bucket_count", athena.token("bucket_count"),
                    "business_unit", athena.token("business_unit"),
                    "request_date", athena.token("request_date"))));
            case "athena/set_partition_location" -> {
                SqlToken schema = SqlToken.literal(((SqlToken.Identifier) athena.token("database")).name());
                yield List.of(
                        templates.render("trino/unregister_partition", tokens("schema", schema,
                                "business_unit", athena.token("business_unit"), "request_date", athena.token("request_date"))),
                        templates.render("trino/register_partition", tokens("schema", schema,
                                "business_unit", athena.token("business_unit"), "request_date", athena.token("request_date"),
                                "location", local(athena.token("location")))));
            }
            case "athena/add_partitions" -> throw new IllegalArgumentException(
                    "athena/add_partitions depends on what is registered: use partitions(statement)");
            default -> List.of(athena);
        };
    }

    /** The partitions of an athena/add_partitions statement, each with its trino/register_partition call. */
    public List<PartitionRegistration> partitions(Statement addPartitions) {
        if (!addPartitions.template().equals("athena/add_partitions")) {
            throw new IllegalArgumentException("not an athena/add_partitions statement: " + addPartitions.template());
        }
        SqlToken.Identifier database = (SqlToken.Identifier) addPartitions.token("database");
        SqlToken.Fragment specs = (SqlToken.Fragment) addPartitions.token("partitions");
        return specs.parts().stream().map(spec -> {
            SqlToken.Literal unit = (SqlToken.Literal) spec.token("business_unit");
            SqlToken.Literal date = (SqlToken.Literal) spec.token("request_date");
            Statement call = templates.render("trino/register_partition", tokens(
                    "schema", SqlToken.literal(database.name()),
                    "business_unit", unit,
                    "request_date", date,
                    "location", local(spec.token("location"))));
            return new PartitionRegistration(unit.value(), date.value(), call);
        }).toList();
    }

    /**
     * The table properties {@code athena/swap_latest} sets, with Glue's names, its location template local: what the
     * engine writes into its metastore in one atomic replace.
     */
    public Map<String, String> swapProperties(Statement swap) {
        if (!swap.template().equals("athena/swap_latest")) {
            throw new IllegalArgumentException("not an athena/swap_latest statement: " + swap.template());
        }
        return Map.of("projection.business_unit.values", ((SqlToken.Literal) swap.token("units")).value(),
                "storage.location.template", localTemplate(swap).render());
    }

    /**
     * The empty staging table a per-unit CTAS with an empty result would have made on S3 (see
     * {@code sql/trino/create_latest_unit_table.sql}): for a translated {@code trino/create_latest_unit_ctas}.
     */
    public Statement emptyStagingTable(Statement ctas) {
        if (!ctas.template().equals("trino/create_latest_unit_ctas")) {
            throw new IllegalArgumentException("not a trino/create_latest_unit_ctas statement: " + ctas.template());
        }
        return templates.render("trino/create_latest_unit_table", tokens("database", ctas.token("database"),
                "staging_table", ctas.token("staging_table"), "location", ctas.token("location")));
    }

    /** Statement that lists registered PIT partitions as (business_unit, request_date) rows. */
    public Statement registeredPartitions(String database) {
        return templates.render("trino/registered_partitions", tokens("database", SqlToken.identifier(database)));
    }

    /** Statements that forget {@code table} of {@code database}, and the emptied schema (resetting the stand-in). */
    public Statement dropTable(String database, String table) {
        return templates.render("trino/drop_table", tokens("database", SqlToken.identifier(database), "table", SqlToken.identifier(table)));
    }

    public Statement dropSchema(String database) {
        return templates.render("trino/drop_schema", tokens("database", SqlToken.identifier(database)));
    }

    /** Statement that lists the tables of {@code database}. */
    public Statement tables(String database) {
        return templates.render("trino/tables", Map.of(), SqlToken.identifier(database).name());
    }

    /** The local folder behind a {@code local:///} location, so the engine can create a table's folder first. */
    public static Path folderOf(SqlToken location) {
        String uri = location.render();
        if (!uri.startsWith("local:///")) {
            throw new IllegalArgumentException("not a local:/// location: " + uri);
        }
        return Path.of(uri.substring("local://".length()));
    }

    /** The projection enum of an Athena statement ('AE,CMF') as the values of a Trino ARRAY. */
    private SqlToken unitValues(Statement athena) {
        List<Statement> values = java.util.Arrays.stream(((SqlToken.Literal) athena.token("units")).value().split(","))
                .map(unit -> templates.render("trino/unit_value", tokens("unit", SqlToken.literal(unit)))).toList();
        return SqlToken.fragment(values, ", ");
    }

    private SqlToken.LocationTemplate localTemplate(Statement athena) {
        SqlToken.LocationTemplate template = (SqlToken.LocationTemplate) athena.token("location_template");
        return new SqlToken.LocationTemplate(local(template.prefix()), template.column());
    }

    SqlToken.Location local(SqlToken location) {
        String uri = ((SqlToken.Location) location).uri();
        if (uri.startsWith("local:///")) {
            return SqlToken.location(uri);
        }
        if (uri.startsWith("/")) {
            return SqlToken.location("local://" + uri);
        }
        if (uri.startsWith("file:///")) {
            return SqlToken.location("local://" + uri.substring("file://".length()));
        }
        for (Map.Entry<String, String> mapping : folders.entrySet()) {
            if (uri.startsWith(mapping.getKey())) {
                return SqlToken.location("local://" + mapping.getValue() + uri.substring(mapping.getKey().length()));
            }
        }
        throw new IllegalArgumentException("no local folder is mapped for " + uri + " (Trino here reads local files only); mapped: "
                + folders.keySet());
    }
}
