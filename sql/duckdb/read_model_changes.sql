-- DuckDB form of athena/read_model_changes (DuckDB names array_join array_to_string).
-- run: what the read model publishes after a swap, for the packages the runs since ${since_run} wrote in the
-- partitions from ${window_start} on (the run and the committed runs it carries: the incremental rebuild's window).
-- Rows of source 'run': one per (business_unit, package_name, submission_id) those runs wrote, with its version and id
-- count (0 for a deletion), for the submissions' statuses. Rows of source 'latest': one per such package that the latest
-- table holds, with its version, id count and ids (ascending, comma-separated), which is what GET …/packages/{name}
-- answers. One row per package rather than per id, so the answer takes few result pages.
WITH written AS (
  SELECT business_unit, package_name, submission_id, max(event_timestamp) AS event_timestamp,
         count(reference_id) AS reference_ids_count
  FROM ${database}.security_of_interest_pit
  WHERE request_date >= ${window_start} AND ingest_run_id >= ${since_run}
  GROUP BY business_unit, package_name, submission_id
)
SELECT 'run' AS source, business_unit, package_name, submission_id, event_timestamp, reference_ids_count,
       CAST(NULL AS varchar) AS reference_ids
FROM written
UNION ALL
SELECT 'latest' AS source, l.business_unit, l.package_name, max(l.submission_id), max(l.event_timestamp), count(*),
       array_to_string(array_agg(l.reference_id ORDER BY l.reference_id), ',')
FROM ${database}.security_of_interest_latest l
WHERE EXISTS (SELECT 1 FROM written w WHERE w.business_unit = l.business_unit AND w.package_name = l.package_name)
GROUP BY l.business_unit, l.package_name
