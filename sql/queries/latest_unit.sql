-- The latest ids of every package of one business unit. Parameter: business_unit.
SELECT package_name, reference_id, event_timestamp, submission_id
FROM ${database}.security_of_interest_latest
WHERE business_unit = ?
ORDER BY package_name, reference_id
