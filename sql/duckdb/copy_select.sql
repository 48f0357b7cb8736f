-- athena/create_latest_ctas on DuckDB: the same SELECT, written as one Snappy Parquet file in the
-- version folder. Row groups of 100,000 rows, sorted by unit and package, let a lookup skip most of them.
COPY (${select}) TO '${file}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 100000)
