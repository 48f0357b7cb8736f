-- Tests only: every row of the latest table as a reader sees it, by key, on any engine.
SELECT business_unit, package_name, reference_id, submission_id
FROM ${database}.security_of_interest_latest
