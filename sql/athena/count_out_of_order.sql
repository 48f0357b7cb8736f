-- run: how many of one run's submissions arrived stamped older than a version of the same package that another run
-- had already committed: the API's clock that stamped them was behind (a clock stepped back, or two API instances
-- that disagree). They stay in PIT; the latest table keeps the newer stamp. Any version newer than an arrival has a
-- request_date at or after the arrival's, so only the partitions from ${window_start} (the run's earliest) are read.
-- Parameters: the run id, twice.
SELECT count(DISTINCT arrived.submission_id) AS out_of_order, min(arrived.submission_id) AS example_submission_id
FROM (
  SELECT DISTINCT business_unit, package_name, event_timestamp, submission_id
  FROM ${database}.security_of_interest_pit
  WHERE request_date >= ${window_start} AND ingest_run_id = ?
) arrived
JOIN (
  SELECT DISTINCT business_unit, package_name, event_timestamp, submission_id
  FROM ${database}.security_of_interest_pit
  WHERE request_date >= ${window_start} AND ingest_run_id <> ?
) applied
  ON applied.business_unit = arrived.business_unit AND applied.package_name = arrived.package_name
WHERE applied.event_timestamp > arrived.event_timestamp
   OR (applied.event_timestamp = arrived.event_timestamp AND applied.submission_id > arrived.submission_id)
