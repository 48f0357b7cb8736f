-- Benchmark only: queries/latest_unit answered inside the engine, with only a digest of the answer sent back
-- (rows, the sum of the ids, packages, distinct versions, newest timestamp). Must equal view_unit_digest.
-- ${table}: the latest table, or a benchmark's table of another layout. Parameter: business_unit.
SELECT count(*) AS row_count, coalesce(sum(reference_id), 0) AS id_sum, count(DISTINCT package_name) AS packages,
       count(DISTINCT submission_id) AS versions, max(event_timestamp) AS newest
FROM ${database}.${table}
WHERE business_unit = ?
