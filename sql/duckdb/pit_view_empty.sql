-- The PIT table before any partition holds a file: no rows, Athena's column types.
CREATE OR REPLACE VIEW ${database}.security_of_interest_pit AS
SELECT CAST(NULL AS BIGINT) AS reference_id, CAST(NULL AS VARCHAR) AS package_name,
       CAST(NULL AS TIMESTAMP) AS event_timestamp, CAST(NULL AS VARCHAR) AS submission_id,
       CAST(NULL AS VARCHAR) AS submitted_by, CAST(NULL AS VARCHAR) AS ingest_run_id,
       CAST(NULL AS VARCHAR) AS business_unit, CAST(NULL AS VARCHAR) AS request_date
WHERE false
