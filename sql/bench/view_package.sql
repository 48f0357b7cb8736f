-- Benchmark only: the design the physical latest table replaces, a window view over the whole PIT table
-- (rank(), since every id of a version shares its timestamp), read for one package.
SELECT reference_id, event_timestamp, submission_id
FROM (
  SELECT reference_id, event_timestamp, submission_id, business_unit, package_name,
         rank() OVER (PARTITION BY business_unit, package_name ORDER BY event_timestamp DESC, submission_id DESC) AS version_rank
  FROM ${database}.security_of_interest_pit
) v
WHERE version_rank = 1 AND reference_id IS NOT NULL AND business_unit = ? AND package_name = ?
ORDER BY reference_id
