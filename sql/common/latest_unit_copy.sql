-- One business unit's rows of the latest table when no new PIT row touched the unit: its rows of the current version,
-- unchanged (the new version holds every unit, since the table's location template names one version).
SELECT reference_id, package_name, event_timestamp, submission_id, submitted_by, ingest_run_id
FROM ${database}.security_of_interest_latest
WHERE business_unit = ${business_unit}
ORDER BY package_name, reference_id
