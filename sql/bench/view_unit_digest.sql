-- Benchmark only: bench/view_unit answered inside the engine, with only a digest of the answer sent back
-- (as table_unit_digest). Parameter: business_unit.
SELECT count(*) AS row_count, coalesce(sum(reference_id), 0) AS id_sum, count(DISTINCT package_name) AS packages,
       count(DISTINCT submission_id) AS versions, max(event_timestamp) AS newest
FROM (
  SELECT reference_id, event_timestamp, submission_id, business_unit, package_name,
         rank() OVER (PARTITION BY business_unit, package_name ORDER BY event_timestamp DESC, submission_id DESC) AS version_rank
  FROM ${database}.security_of_interest_pit
) v
WHERE version_rank = 1 AND reference_id IS NOT NULL AND business_unit = ?
