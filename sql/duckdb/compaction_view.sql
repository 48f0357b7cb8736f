-- A compaction's verification table (athena/create_compaction_table) over the files of its folder: PIT files,
-- so no business_unit column.
CREATE OR REPLACE VIEW ${database}.${table} AS
SELECT CAST(reference_id AS BIGINT) AS reference_id,
       CAST(package_name AS VARCHAR) AS package_name,
       CAST(event_timestamp AS TIMESTAMP) AS event_timestamp,
       CAST(submission_id AS VARCHAR) AS submission_id,
       CAST(submitted_by AS VARCHAR) AS submitted_by,
       CAST(ingest_run_id AS VARCHAR) AS ingest_run_id
FROM read_parquet([${files}], hive_partitioning = false)
