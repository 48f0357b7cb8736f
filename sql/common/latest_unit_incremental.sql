-- One business unit's rows of the latest table, from its rows in the current version plus only the PIT partitions
-- written since. ${window_start}: the earliest request_date among the unit's partitions the new runs wrote; ${since_run}:
-- the earliest new run id (run ids sort by start time). A package with a new row in the window is recomputed from its
-- rows in the window: its newest version is at least as new as that row, so it is in the window too. Every other package
-- keeps its rows of the current version. Gives the same rows as common/latest_unit_from_pit.
WITH changed AS (
  SELECT DISTINCT package_name
  FROM ${database}.security_of_interest_pit
  WHERE business_unit = ${business_unit} AND request_date >= ${window_start} AND ingest_run_id >= ${since_run}
),
ranked AS (
  SELECT p.reference_id, p.package_name, p.event_timestamp, p.submission_id, p.submitted_by, p.ingest_run_id,
         rank() OVER (PARTITION BY p.package_name ORDER BY p.event_timestamp DESC, p.submission_id DESC) AS version_rank
  FROM ${database}.security_of_interest_pit p
  JOIN changed c ON p.package_name = c.package_name
  WHERE p.business_unit = ${business_unit} AND p.request_date >= ${window_start}
)
SELECT reference_id, package_name, event_timestamp, submission_id, submitted_by, ingest_run_id
FROM (
  SELECT reference_id, package_name, event_timestamp, submission_id, submitted_by, ingest_run_id
  FROM ranked
  WHERE version_rank = 1 AND reference_id IS NOT NULL
  UNION ALL
  SELECT l.reference_id, l.package_name, l.event_timestamp, l.submission_id, l.submitted_by, l.ingest_run_id
  FROM ${database}.security_of_interest_latest l
  WHERE l.business_unit = ${business_unit}
    AND NOT EXISTS (SELECT 1 FROM changed c WHERE c.package_name = l.package_name)
) merged
ORDER BY package_name, reference_id
