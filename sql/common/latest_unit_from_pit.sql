-- One business unit's rows of the latest table, from all of its PIT partitions: the newest event_timestamp of each
-- package wins and submission_id breaks ties; a winning tombstone (reference_id NULL) removes the package. The columns
-- of the latest table's files (the unit is their folder), sorted as a lookup reads them. Runs unchanged on Athena, Trino
-- and DuckDB.
SELECT reference_id, package_name, event_timestamp, submission_id, submitted_by, ingest_run_id
FROM (
  SELECT reference_id, package_name, event_timestamp, submission_id, submitted_by, ingest_run_id,
         rank() OVER (PARTITION BY package_name ORDER BY event_timestamp DESC, submission_id DESC) AS version_rank
  FROM ${database}.security_of_interest_pit
  WHERE business_unit = ${business_unit}
) ranked
WHERE version_rank = 1 AND reference_id IS NOT NULL
ORDER BY package_name, reference_id
