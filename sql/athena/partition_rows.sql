-- Every row of one PIT partition, in the order the run's writer sorts a file (package_name, then reference_id with the
-- tombstone first, then submission_id): how tests and tools read a partition back. Compaction does not read rows
-- (athena/compact_partition rewrites the partition inside the engine).
-- Parameters: business_unit, request_date.
SELECT reference_id, package_name, event_timestamp, submission_id, submitted_by, ingest_run_id
FROM ${database}.security_of_interest_pit
WHERE business_unit = ? AND request_date = ?
ORDER BY package_name, reference_id NULLS FIRST, submission_id
