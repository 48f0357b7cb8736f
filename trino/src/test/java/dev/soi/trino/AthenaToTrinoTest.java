package dev.soi.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.RunId;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.sql.SqlTemplates;
import dev.soi.core.sql.Statement;
import dev.soi.core.sql.TableStatements;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The translation alone, without a server: what changes, what stays byte for byte. */
class AthenaToTrinoTest {
    private static final String BUCKET = "s3://soi-bucket/env/";
    private final SqlTemplates templates = new SqlTemplates();
    private final AthenaToTrino translation = new AthenaToTrino(templates, Map.of(BUCKET, "/srv/soi/data/"));
    private final TableStatements athena = new TableStatements(templates, "df_trusted_dev", key -> BUCKET + key);
    private static final BusinessUnit AE = BusinessUnit.of("AE");

    @Test
    void queriesAndTheRebuildChecksRunExactlyAsRenderedForAthena() {
        for (Statement statement : List.of(athena.latestPackage(AE, PackageName.of("job_1")), athena.latestUnit(AE),
                athena.packageAsOf(AE, PackageName.of("job_1"), Instant.parse("2024-05-16T10:00:00Z")),
                athena.packageHistory(AE, PackageName.of("job_1")), athena.pitUnits(), athena.countExpectedLatest(),
                athena.dropLatestTable(),
                athena.verifyStaging("security_of_interest_latest_stg_x"), athena.dropStaging("security_of_interest_latest_stg_x"),
                athena.partitionRows(new dev.soi.core.domain.PitPartition(AE, java.time.LocalDate.parse("2026-11-23"))),
                athena.partitionChecksum(new dev.soi.core.domain.PitPartition(AE, java.time.LocalDate.parse("2026-11-23"))),
                athena.compactionChecksum("security_of_interest_pit_cmp_x"))) {
            assertThat(translation.translate(statement)).as(statement.template()).containsExactly(statement);
        }
    }

    @Test
    void createDatabaseBecomesCreateSchema() {
        assertThat(translation.translate(athena.createDatabase())).extracting(Statement::sql)
                .containsExactly("CREATE SCHEMA IF NOT EXISTS df_trusted_dev");
    }

    @Test
    void unitCtasLosesOnlyWriteCompressionAndGetsTheLocalLocation() {
        Statement ctas = athena.createLatestUnit("security_of_interest_latest_stg_v2_ae", LatestLayout.latestUnitPrefix("v2", AE),
                athena.latestUnitIncremental(AE, LocalDate.parse("2024-05-16"), new RunId("20240516t100000z-0000abcd")));
        List<Statement> trino = translation.translate(ctas);
        assertThat(trino).hasSize(1);
        assertThat(trino.get(0).sql()).isEqualTo(ctas.sql()
                .replace("write_compression = 'SNAPPY', ", "")
                .replace(",\n      bucketed_by", ", bucketed_by")
                .replace(BUCKET, "local:///srv/soi/data/"));
        assertThat(trino.get(0).sql()).contains("external_location = 'local:///srv/soi/data/security_of_interest_latest/version=v2/business_unit=AE/'")
                .contains("bucketed_by = ARRAY['package_name'], bucket_count = 29");
    }

    @Test
    void theLatestTableKeepsItsProjectionAsTrinosTableAndColumnProperties() {
        Statement trino = translation.translate(athena.createLatestTable(StorageLayout.latestVersionPrefix("v1"),
                List.of(AE, BusinessUnit.of("CMF")))).get(0);
        assertThat(trino.sql()).startsWith("CREATE TABLE IF NOT EXISTS df_trusted_dev.security_of_interest_latest (")
                .contains("business_unit varchar WITH (partition_projection_type = 'ENUM', partition_projection_values = ARRAY['AE', 'CMF'])")
                .endsWith("WITH (format = 'PARQUET', external_location = 'local:///srv/soi/data/security_of_interest_latest/', "
                        + "partitioned_by = ARRAY['business_unit'],\n      bucketed_by = ARRAY['package_name'], bucket_count = 29,\n"
                        + "      partition_projection_enabled = true, partition_projection_location_template = "
                        + "'local:///srv/soi/data/security_of_interest_latest/version=v1/business_unit=${business_unit}/')");
    }

    @Test
    void pitTableIsCreatedWithTrinoTypesAndPartitionColumnsAsProperties() {
        Statement trino = translation.translate(athena.createPitTable()).get(0);
        assertThat(trino.sql()).startsWith("CREATE TABLE IF NOT EXISTS df_trusted_dev.security_of_interest_pit (")
                .endsWith("WITH (format = 'PARQUET', partitioned_by = ARRAY['business_unit', 'request_date'], "
                        + "external_location = 'local:///srv/soi/data/security_of_interest_pit/')")
                .doesNotContain(" string");
    }

    @Test
    void trinoTablesHaveTheAthenaTablesColumnsInOrder() {
        assertThat(columns("trino/create_pit_table")).isEqualTo(columns("athena/create_pit_table"));
        assertThat(columns("trino/create_latest_table")).isEqualTo(columns("athena/create_latest_table"));
        assertThat(columns("athena/create_pit_table")).extracting(c -> c.split(" ")[0]).containsExactly("reference_id",
                "package_name", "event_timestamp", "submission_id", "submitted_by", "ingest_run_id", "business_unit", "request_date");
    }

    @Test
    void theSwapIsTheTwoPropertiesGlueWouldSetWithTheLocalTemplate() {
        Statement swap = athena.swapLatest(StorageLayout.latestVersionPrefix("v3"), List.of(BusinessUnit.of("CMF"), AE));
        assertThat(translation.swapProperties(swap)).isEqualTo(Map.of("projection.business_unit.values", "AE,CMF",
                "storage.location.template", "local:///srv/soi/data/security_of_interest_latest/version=v3/business_unit=${business_unit}/"));
        assertThatThrownBy(() -> translation.translate(swap)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addPartitionsBecomesOneRegisterCallPerPartition() {
        PitPartition ae = new PitPartition(AE, LocalDate.parse("2024-05-16"));
        PitPartition cmf = new PitPartition(BusinessUnit.of("CMF"), LocalDate.parse("2024-05-17"));
        Statement add = athena.addPartitions(List.of(cmf, ae)).get(0);
        List<AthenaToTrino.PartitionRegistration> calls = translation.partitions(add);
        assertThat(calls).extracting(AthenaToTrino.PartitionRegistration::businessUnit).containsExactly("AE", "CMF");
        assertThat(calls).extracting(AthenaToTrino.PartitionRegistration::requestDate).containsExactly("2024-05-16", "2024-05-17");
        assertThat(calls.get(0).call().sql()).isEqualTo("""
                CALL system.register_partition(
                  schema_name => 'df_trusted_dev',
                  table_name => 'security_of_interest_pit',
                  partition_columns => ARRAY['business_unit', 'request_date'],
                  partition_values => ARRAY['AE', '2024-05-16'],
                  location => 'local:///srv/soi/data/security_of_interest_pit/business_unit=AE/request_date=2024-05-16/'
                )""");
        assertThatThrownBy(() -> translation.translate(add)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyTranslatedTemplateIsListedAndNoOtherAthenaTemplateIs() {
        assertThat(AthenaToTrino.TRANSLATED).containsExactlyInAnyOrder("athena/create_database", "athena/create_pit_table",
                "athena/create_latest_table", "athena/create_latest_unit_ctas", "athena/add_partitions", "athena/swap_latest",
                "athena/compact_partition", "athena/set_partition_location");
    }

    @Test
    void partitionLocationMovesByUnregisterThenRegisterAtTheNewFolder() {
        dev.soi.core.domain.PitPartition partition = new dev.soi.core.domain.PitPartition(
                dev.soi.core.domain.BusinessUnit.of("AE"), java.time.LocalDate.parse("2026-11-23"));
        String folder = "security_of_interest_pit/compacted/20261125t030000z-0a0b0c0d/" + partition.path();

        List<dev.soi.core.sql.Statement> trino = translation.translate(athena.setPartitionLocation(partition, folder));

        assertThat(trino).extracting(dev.soi.core.sql.Statement::template)
                .containsExactly("trino/unregister_partition", "trino/register_partition");
        assertThat(trino.get(0).sql()).contains("partition_values => ARRAY['AE', '2026-11-23']");
        assertThat(trino.get(1).sql()).contains("location => 'local://");
        assertThat(trino.get(1).sql()).contains(folder);
    }

    @Test
    void anUnmappedBucketIsRefusedByName() {
        TableStatements elsewhere = new TableStatements(templates, "df_trusted_dev", key -> "s3://other-bucket/" + key);
        assertThatThrownBy(() -> translation.translate(elsewhere.createPitTable()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s3://other-bucket/security_of_interest_pit/")
                .hasMessageContaining("s3://soi-bucket/env/");
    }

    @Test
    void localPathsNeedNoMapping() {
        TableStatements local = new TableStatements(templates, "df_trusted_dev", key -> "/var/soi/" + key);
        assertThat(translation.translate(local.createPitTable()).get(0).sql())
                .contains("external_location = 'local:///var/soi/security_of_interest_pit/'");
    }

    /** The column lines of a CREATE TABLE template, types normalised (Hive's string is Trino's varchar). */
    private static List<String> columns(String template) {
        String text = source(template);
        List<String> columns = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^\\s+([a-z_]+) (bigint|string|varchar|timestamp)(,| WITH .*)?$").matcher(text);
        while (m.find()) {
            columns.add(m.group(1) + " " + m.group(2).replace("string", "varchar"));
        }
        Matcher partitions = Pattern.compile("PARTITIONED BY \\(([^)]*)\\)").matcher(text);
        if (partitions.find()) {
            for (String column : partitions.group(1).split(",\\s*")) {
                columns.add(column.trim().replace("string", "varchar"));
            }
        }
        return columns;
    }

    private static String source(String template) {
        try (InputStream in = AthenaToTrinoTest.class.getClassLoader().getResourceAsStream("sql/" + template + ".sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
