-- The latest table, or a staging table, whose files cannot be read (a damaged file). Creating the view over
-- them would fail every statement, also those that never read this table (DuckDB reads a view's files when it
-- creates it; Athena only when a query reads the table). So the view has the right columns and fails only
-- when a query reads it, with a message naming the files' problem. The unit column fails too: a query that reads one
-- unit would otherwise have its filter on a constant NULL unit fold the whole view away, unread, and see no rows.
CREATE OR REPLACE VIEW ${database}.${table} AS
SELECT CAST(NULL AS BIGINT) AS reference_id, CAST(NULL AS VARCHAR) AS package_name,
       CAST(NULL AS TIMESTAMP) AS event_timestamp, CAST(NULL AS VARCHAR) AS submission_id,
       CAST(NULL AS VARCHAR) AS submitted_by, CAST(NULL AS VARCHAR) AS ingest_run_id,
       CAST(error(${message}) AS VARCHAR) AS business_unit
FROM range(1) AS one(n)
WHERE error(${message}) IS NULL
