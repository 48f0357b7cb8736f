-- The latest version of every (business_unit, package_name): the newest event_timestamp wins and
-- submission_id breaks ties. A winning tombstone (reference_id NULL) removes the package.
-- Runs unchanged on Athena, Trino and DuckDB.
SELECT reference_id, package_name, event_timestamp, submission_id, submitted_by, ingest_run_id, business_unit
FROM (
  SELECT reference_id, package_name, event_timestamp, submission_id, submitted_by, ingest_run_id, business_unit,
         rank() OVER (PARTITION BY business_unit, package_name
                      ORDER BY event_timestamp DESC, submission_id DESC) AS version_rank
  FROM ${database}.security_of_interest_pit
) ranked
WHERE version_rank = 1 AND reference_id IS NOT NULL
ORDER BY business_unit, package_name, reference_id
