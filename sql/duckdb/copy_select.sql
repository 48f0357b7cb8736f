-- athena/create_latest_unit_ctas on DuckDB: the same SELECT, written as one Snappy Parquet file in the unit's folder of
-- the version. Its rows come sorted by package, so row groups of 20,000 rows let a package lookup read one or two of them.
COPY (${select}) TO '${file}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 20000)
