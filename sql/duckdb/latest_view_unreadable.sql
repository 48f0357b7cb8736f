-- The latest table, or a staging table, whose files cannot be read (a damaged file). Creating the view over
-- them would fail every statement, also those that never read this table (DuckDB reads a view's files when it
-- creates it; Athena only when a query reads the table). So the view has the right columns and fails only
-- when a query reads it, with a message naming the files' problem. Every column, and the filter, raise it: a
-- constant column is folded into a query's own filter (business_unit = ?), which then answers no rows instead
-- of failing, and a query that reads no column (count(*)) still meets the filter.
CREATE OR REPLACE VIEW ${database}.${table} AS
SELECT CAST(error(${message}) AS BIGINT) AS reference_id, CAST(error(${message}) AS VARCHAR) AS package_name,
       CAST(error(${message}) AS TIMESTAMP) AS event_timestamp, CAST(error(${message}) AS VARCHAR) AS submission_id,
       CAST(error(${message}) AS VARCHAR) AS submitted_by, CAST(error(${message}) AS VARCHAR) AS ingest_run_id,
       CAST(error(${message}) AS VARCHAR) AS business_unit
FROM range(1) AS one(n)
WHERE error(${message}) IS NULL
