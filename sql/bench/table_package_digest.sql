-- Benchmark only: queries/latest_package answered inside the engine, with only a digest of the answer sent
-- back (rows, the sum of the ids, distinct versions, newest timestamp), so the time is the engine's, not the
-- client's. ${table}: the latest table, or a benchmark's table of another layout. Must equal view_package_digest.
-- Parameters: business_unit, package_name.
SELECT count(*) AS row_count, coalesce(sum(reference_id), 0) AS id_sum, count(DISTINCT submission_id) AS versions,
       max(event_timestamp) AS newest
FROM ${database}.${table}
WHERE business_unit = ? AND package_name = ?
