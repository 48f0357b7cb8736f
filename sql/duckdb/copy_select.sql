-- athena/create_latest_ctas on DuckDB: the same SELECT, written as one Snappy Parquet file in the
-- version folder.
COPY (${select}) TO '${file}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 1000000)
