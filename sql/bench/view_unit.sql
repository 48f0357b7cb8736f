-- Benchmark only: the window view over PIT, read for every package of one business unit.
SELECT package_name, reference_id, event_timestamp, submission_id
FROM (
  SELECT reference_id, event_timestamp, submission_id, business_unit, package_name,
         rank() OVER (PARTITION BY business_unit, package_name ORDER BY event_timestamp DESC, submission_id DESC) AS version_rank
  FROM ${database}.security_of_interest_pit
) v
WHERE version_rank = 1 AND reference_id IS NOT NULL AND business_unit = ?
ORDER BY package_name, reference_id
