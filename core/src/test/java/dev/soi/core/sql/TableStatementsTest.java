package dev.soi.core.sql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.soi.core.domain.BusinessUnit;
import dev.soi.core.domain.LatestLayout;
import dev.soi.core.domain.PackageName;
import dev.soi.core.domain.PitPartition;
import dev.soi.core.domain.StorageLayout;
import dev.soi.core.domain.SubmissionId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Pins the exact Athena text of every statement; a change here is a change to what runs in production. */
class TableStatementsTest {
    private final TableStatements statements =
            new TableStatements(new SqlTemplates(), "df_trusted_dev", key -> "s3://data-bucket/soi/" + key);

    @Test
    void bootstrapStatements() {
        assertThat(statements.createDatabase().sql()).isEqualTo("CREATE DATABASE IF NOT EXISTS df_trusted_dev");
        assertThat(statements.createPitTable().sql()).isEqualTo("""
                CREATE EXTERNAL TABLE IF NOT EXISTS df_trusted_dev.security_of_interest_pit (
                  reference_id bigint,
                  package_name string,
                  event_timestamp timestamp,
                  submission_id string,
                  submitted_by string,
                  ingest_run_id string
                )
                PARTITIONED BY (business_unit string, request_date string)
                STORED AS PARQUET
                LOCATION 's3://data-bucket/soi/security_of_interest_pit/'
                TBLPROPERTIES ('parquet.compression' = 'SNAPPY')""");
        assertThat(statements.createLatestTable(StorageLayout.latestVersionPrefix(StorageLayout.LATEST_EMPTY_VERSION),
                List.of(BusinessUnit.of("CMF"), BusinessUnit.of("AE"))).sql()).isEqualTo("""
                CREATE EXTERNAL TABLE IF NOT EXISTS df_trusted_dev.security_of_interest_latest (
                  reference_id bigint,
                  package_name string,
                  event_timestamp timestamp,
                  submission_id string,
                  submitted_by string,
                  ingest_run_id string
                )
                PARTITIONED BY (business_unit string)
                CLUSTERED BY (package_name) INTO 29 BUCKETS
                STORED AS PARQUET
                LOCATION 's3://data-bucket/soi/security_of_interest_latest/'
                TBLPROPERTIES (
                  'parquet.compression' = 'SNAPPY',
                  'projection.enabled' = 'true',
                  'projection.business_unit.type' = 'enum',
                  'projection.business_unit.values' = 'AE,CMF',
                  'storage.location.template' = 's3://data-bucket/soi/security_of_interest_latest/version=initial/business_unit=${business_unit}/'
                )""");
    }

    @Test
    void addPartitionsIsOneStatementPerHundredPartitions() {
        List<PitPartition> partitions = new ArrayList<>();
        LocalDate day = LocalDate.parse("2024-01-01");
        for (int i = 0; i < 150; i++) {
            partitions.add(new PitPartition(BusinessUnit.of("AE"), day.plusDays(i)));
        }
        partitions.add(partitions.get(0));
        List<Statement> chunks = statements.addPartitions(partitions);
        assertThat(chunks).hasSize(2);
        assertThat(chunks.get(0).sql()).startsWith("""
                ALTER TABLE df_trusted_dev.security_of_interest_pit ADD IF NOT EXISTS
                PARTITION (business_unit = 'AE', request_date = '2024-01-01') LOCATION 's3://data-bucket/soi/security_of_interest_pit/business_unit=AE/request_date=2024-01-01/'
                PARTITION (business_unit = 'AE', request_date = '2024-01-02')""");
        assertThat(chunks.get(0).sql().lines().count()).isEqualTo(101);
        assertThat(chunks.get(1).sql().lines().count()).isEqualTo(51);
    }

    @Test
    void noPartitionIsNoStatement() {
        assertThat(statements.addPartitions(List.of())).isEmpty();
        assertThat(statements.addPartitions(List.of(), p -> "unused/")).isEmpty();
    }

    @Test
    void unitCtasCandidateSwapAndDropOfTheLatestTable() {
        String version = "20240516t100000z-0000abcd";
        BusinessUnit ae = BusinessUnit.of("AE");
        Statement ctas = statements.createLatestUnit("security_of_interest_latest_stg_r20240516t100000z_0000abcd_ae",
                LatestLayout.latestUnitPrefix(version, ae), statements.latestUnitFromPit(ae));
        assertThat(ctas.sql()).startsWith("""
                CREATE TABLE df_trusted_dev.security_of_interest_latest_stg_r20240516t100000z_0000abcd_ae
                WITH (format = 'PARQUET', write_compression = 'SNAPPY', external_location = 's3://data-bucket/soi/security_of_interest_latest/version=20240516t100000z-0000abcd/business_unit=AE/',
                      bucketed_by = ARRAY['package_name'], bucket_count = 29)
                AS
                SELECT reference_id, package_name, event_timestamp, submission_id, submitted_by, ingest_run_id
                FROM (""");
        assertThat(ctas.sql()).contains("ORDER BY event_timestamp DESC, submission_id DESC")
                .contains("WHERE business_unit = 'AE'")
                .contains("WHERE version_rank = 1 AND reference_id IS NOT NULL");
        assertThat(statements.createLatestCandidate("security_of_interest_latest_stg_r1", StorageLayout.latestVersionPrefix(version),
                List.of(ae)).sql()).startsWith("CREATE EXTERNAL TABLE IF NOT EXISTS df_trusted_dev.security_of_interest_latest_stg_r1 (");
        assertThat(statements.swapLatest(StorageLayout.latestVersionPrefix(version), List.of(BusinessUnit.of("CMF"), ae)).sql()).isEqualTo("""
                ALTER TABLE df_trusted_dev.security_of_interest_latest SET TBLPROPERTIES (
                  'projection.business_unit.values' = 'AE,CMF',
                  'storage.location.template' = 's3://data-bucket/soi/security_of_interest_latest/version=20240516t100000z-0000abcd/business_unit=${business_unit}/'
                )""");
        assertThat(statements.dropStaging("security_of_interest_latest_stg_r1").sql())
                .isEqualTo("DROP TABLE IF EXISTS df_trusted_dev.security_of_interest_latest_stg_r1");
        assertThat(statements.pitUnits().sql())
                .isEqualTo("SELECT DISTINCT business_unit FROM df_trusted_dev.\"security_of_interest_pit$partitions\" ORDER BY business_unit");
    }

    @Test
    void theIncrementalUnitSelectNamesItsWindowAndFirstRun() {
        Statement select = statements.latestUnitIncremental(BusinessUnit.of("AE"), LocalDate.parse("2024-05-16"),
                new dev.soi.core.domain.RunId("20240516t100000z-0000abcd"));
        assertThat(select.sql()).contains("WHERE business_unit = 'AE' AND request_date >= '2024-05-16' AND ingest_run_id >= '20240516t100000z-0000abcd'")
                .contains("FROM df_trusted_dev.security_of_interest_latest l\n  WHERE l.business_unit = 'AE'");
        assertThat(statements.latestUnitCopy(BusinessUnit.of("AE")).sql()).isEqualTo("""
                SELECT reference_id, package_name, event_timestamp, submission_id, submitted_by, ingest_run_id
                FROM df_trusted_dev.security_of_interest_latest
                WHERE business_unit = 'AE'
                ORDER BY package_name, reference_id""");
    }

    @Test
    void theProjectionNeedsAUnit() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> statements.swapLatest(StorageLayout.latestVersionPrefix("v"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one business unit");
    }

    @Test
    void readsBindValuesAsParameters() {
        Statement lookup = statements.latestPackage(BusinessUnit.of("AE"), PackageName.of("job_1"));
        assertThat(lookup.parameters()).containsExactly("AE", "job_1");
        assertThat(lookup.sql()).contains("WHERE business_unit = ? AND package_name = ?");
        SubmissionId id = SubmissionId.generate(Instant.parse("2024-05-16T23:59:59.999Z"), new SplittableRandom(3));
        assertThat(statements.submissionApplied(BusinessUnit.of("AE"), id).parameters())
                .containsExactly("AE", "2024-05-16", id.toString());
    }
}
