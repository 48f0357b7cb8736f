-- Benchmark only: the Parquet row groups under ${location} that a reader pruning on min/max statistics must
-- read for business_unit = ?, and their compressed bytes over all columns (an upper bound on what Athena scans,
-- since it reads only the columns a query names). Files without a business_unit column (PIT files, where the unit
-- is a partition folder) are read whole. Every file under ${location} is read as Parquet (Trino names its files without
-- an extension). Parameters: the unit, twice.
WITH columns AS (
  SELECT file_name, row_group_id, path_in_schema, stats_min_value, stats_max_value, total_compressed_size
  FROM parquet_metadata('${location}**/*')
),
unit_stats AS (
  SELECT file_name, row_group_id, stats_min_value, stats_max_value
  FROM columns
  WHERE path_in_schema = 'business_unit'
),
kept AS (
  SELECT DISTINCT c.file_name, c.row_group_id
  FROM columns c
  LEFT JOIN unit_stats u ON u.file_name = c.file_name AND u.row_group_id = c.row_group_id
  WHERE u.file_name IS NULL OR (u.stats_min_value <= ? AND u.stats_max_value >= ?)
)
SELECT count(*) AS row_groups,
       CAST(coalesce(sum((SELECT sum(total_compressed_size) FROM columns c
                          WHERE c.file_name = k.file_name AND c.row_group_id = k.row_group_id)), 0) AS BIGINT) AS compressed_bytes,
       (SELECT count(DISTINCT file_name || '#' || row_group_id) FROM columns) AS row_groups_in_files
FROM kept k
