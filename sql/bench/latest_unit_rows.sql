-- Benchmark only (bench/run scale): one unit's rows of the latest table (${select}, a common/latest_unit_* fragment, whose
-- files carry no unit since it is their folder) with business_unit as a column, for the benchmark's unpartitioned
-- layouts, sorted by package as a lookup reads them.
SELECT reference_id, package_name, event_timestamp, submission_id, submitted_by, ingest_run_id, ${business_unit} AS business_unit
FROM (${select}) unit_rows
ORDER BY package_name, reference_id
