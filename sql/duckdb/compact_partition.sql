-- athena/compact_partition on DuckDB: one file of the partition's rows, read from that partition's own files only (not
-- through a view of the whole table), in the order the batch's writer sorts a file; DuckDB's COPY keeps the ORDER BY.
-- With more than one file, each holds the packages whose hash falls in its bucket, as Athena's bucketing does.
COPY (SELECT CAST(reference_id AS BIGINT) AS reference_id,
             CAST(package_name AS VARCHAR) AS package_name,
             CAST(event_timestamp AS TIMESTAMP) AS event_timestamp,
             CAST(submission_id AS VARCHAR) AS submission_id,
             CAST(submitted_by AS VARCHAR) AS submitted_by,
             CAST(ingest_run_id AS VARCHAR) AS ingest_run_id
      FROM read_parquet([${files}], hive_partitioning = false)
      WHERE hash(package_name) % CAST(? AS UBIGINT) = CAST(? AS UBIGINT)
      ORDER BY package_name, reference_id NULLS FIRST, submission_id)
TO '${file}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 100000)
