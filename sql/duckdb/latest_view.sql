-- The latest table, or a rebuild's candidate, over the files of one version folder: one business_unit=U/ folder per
-- unit, the unit taken from the folder as Athena's partition projection takes it (hive_types_autocast = false keeps it a
-- string). A version written by an earlier release (one folder, business_unit a column of its files) reads the same way.
CREATE OR REPLACE VIEW ${database}.${table} AS
SELECT CAST(reference_id AS BIGINT) AS reference_id,
       CAST(package_name AS VARCHAR) AS package_name,
       CAST(event_timestamp AS TIMESTAMP) AS event_timestamp,
       CAST(submission_id AS VARCHAR) AS submission_id,
       CAST(submitted_by AS VARCHAR) AS submitted_by,
       CAST(ingest_run_id AS VARCHAR) AS ingest_run_id,
       CAST(business_unit AS VARCHAR) AS business_unit
FROM read_parquet([${files}], hive_partitioning = true, hive_types_autocast = false, union_by_name = true)
