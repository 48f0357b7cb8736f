-- Whether a submission reached the PIT table. request_date is derived from the submission id's
-- UUIDv7 timestamp, so only one partition is read. Parameters: business_unit, request_date, submission_id.
SELECT count(*) AS row_count
FROM ${database}.security_of_interest_pit
WHERE business_unit = ? AND request_date = ? AND submission_id = ?
