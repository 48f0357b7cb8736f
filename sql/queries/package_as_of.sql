-- The ids of one package as they stood at a past instant: its newest version at or before that instant, or
-- nothing if that version was a deletion (or the package did not exist yet). Reads only the unit's partitions
-- up to the instant's date. Parameters: business_unit, package_name, the instant's UTC date (YYYY-MM-DD),
-- the instant as UTC text (YYYY-MM-DD HH:MM:SS.fff).
SELECT reference_id, event_timestamp, submission_id
FROM (
  SELECT reference_id, event_timestamp, submission_id,
         rank() OVER (ORDER BY event_timestamp DESC, submission_id DESC) AS version_rank
  FROM ${database}.security_of_interest_pit
  WHERE business_unit = ? AND package_name = ? AND request_date <= ?
    AND event_timestamp <= CAST(? AS timestamp)
) ranked
WHERE version_rank = 1 AND reference_id IS NOT NULL
ORDER BY reference_id
