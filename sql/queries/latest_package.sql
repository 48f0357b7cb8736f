-- The latest ids of one package, with the version they belong to. Parameters: business_unit, package_name.
SELECT reference_id, event_timestamp, submission_id
FROM ${database}.security_of_interest_latest
WHERE business_unit = ? AND package_name = ?
ORDER BY reference_id
