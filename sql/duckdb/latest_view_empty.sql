-- The latest table, or a staging table, whose folder holds no file yet.
CREATE OR REPLACE VIEW ${database}.${table} AS
SELECT CAST(NULL AS BIGINT) AS reference_id, CAST(NULL AS VARCHAR) AS package_name,
       CAST(NULL AS TIMESTAMP) AS event_timestamp, CAST(NULL AS VARCHAR) AS submission_id,
       CAST(NULL AS VARCHAR) AS submitted_by, CAST(NULL AS VARCHAR) AS ingest_run_id,
       CAST(NULL AS VARCHAR) AS business_unit
WHERE false
