-- Every version ever submitted for one package, newest first: when, by whom, in which run, and how many ids
-- (0 for a deletion). Parameters: business_unit, package_name.
SELECT event_timestamp, submission_id, submitted_by, ingest_run_id, count(reference_id) AS reference_ids_count
FROM ${database}.security_of_interest_pit
WHERE business_unit = ? AND package_name = ?
GROUP BY event_timestamp, submission_id, submitted_by, ingest_run_id
ORDER BY event_timestamp DESC, submission_id DESC
