-- The PIT table over the files of the registered partitions; business_unit and request_date come from
-- the Hive-style folders and stay strings (hive_types_autocast = false), as in Athena. Every PIT file has the
-- one schema PitParquetWriter writes, so the schema is read from the first file: union_by_name would read
-- every file's footer at each statement, a cost that grew with the history (4,540 files at 100M rows).
CREATE OR REPLACE VIEW ${database}.security_of_interest_pit AS
SELECT CAST(reference_id AS BIGINT) AS reference_id,
       CAST(package_name AS VARCHAR) AS package_name,
       CAST(event_timestamp AS TIMESTAMP) AS event_timestamp,
       CAST(submission_id AS VARCHAR) AS submission_id,
       CAST(submitted_by AS VARCHAR) AS submitted_by,
       CAST(ingest_run_id AS VARCHAR) AS ingest_run_id,
       CAST(business_unit AS VARCHAR) AS business_unit,
       CAST(request_date AS VARCHAR) AS request_date
FROM read_parquet([${files}], hive_partitioning = true, hive_types_autocast = false)
