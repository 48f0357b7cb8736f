-- run: checks a staging version before the swap: its row count, and rows that break the
-- (business_unit, package_name, reference_id) key.
SELECT coalesce(sum(n), 0) AS row_count, coalesce(sum(n - 1), 0) AS duplicate_rows
FROM (
  SELECT business_unit, package_name, reference_id, count(*) AS n
  FROM ${database}.${staging_table}
  GROUP BY business_unit, package_name, reference_id
) keyed
