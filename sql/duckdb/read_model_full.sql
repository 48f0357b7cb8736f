-- DuckDB form of athena/read_model_full (DuckDB names array_join array_to_string).
-- run: the whole read model again (rebuild-latest, a first publication, bootstrap over existing data). Rows of source
-- 'latest': every package of the latest table, with its version, id count and ids (ascending, comma-separated).
-- Rows of source 'run': one per (business_unit, package_name, submission_id) in the partitions from ${window_start} on,
-- with its version and id count (0 for a deletion), for the statuses of the submissions applied in that window.
WITH written AS (
  SELECT business_unit, package_name, submission_id, max(event_timestamp) AS event_timestamp,
         count(reference_id) AS reference_ids_count
  FROM ${database}.security_of_interest_pit
  WHERE request_date >= ${window_start}
  GROUP BY business_unit, package_name, submission_id
)
SELECT 'run' AS source, business_unit, package_name, submission_id, event_timestamp, reference_ids_count,
       CAST(NULL AS varchar) AS reference_ids
FROM written
UNION ALL
SELECT 'latest' AS source, business_unit, package_name, max(submission_id), max(event_timestamp), count(*),
       array_to_string(array_agg(reference_id ORDER BY reference_id), ',')
FROM ${database}.security_of_interest_latest
GROUP BY business_unit, package_name
