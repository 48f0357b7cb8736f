-- Benchmark only (bench/run scale, layout c): every row of the current latest version, with its unit, for a layout
-- copied from it in one statement.
SELECT reference_id, package_name, event_timestamp, submission_id, submitted_by, ingest_run_id, business_unit
FROM ${database}.security_of_interest_latest
