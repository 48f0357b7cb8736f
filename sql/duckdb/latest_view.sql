-- The latest table, or a staging table, over the files of one version folder.
CREATE OR REPLACE VIEW ${database}.${table} AS
SELECT CAST(reference_id AS BIGINT) AS reference_id,
       CAST(package_name AS VARCHAR) AS package_name,
       CAST(event_timestamp AS TIMESTAMP) AS event_timestamp,
       CAST(submission_id AS VARCHAR) AS submission_id,
       CAST(submitted_by AS VARCHAR) AS submitted_by,
       CAST(ingest_run_id AS VARCHAR) AS ingest_run_id,
       CAST(business_unit AS VARCHAR) AS business_unit
FROM read_parquet([${files}], hive_partitioning = false, union_by_name = true)
