-- athena/partition_checksum and athena/compaction_checksum on DuckDB: the row count and an order-independent checksum
-- of the rows in the files listed, which the engine takes from the partition's registered folder or from the
-- compaction table's folder; so the cost is the partition's own, at any history length (not a view of the whole
-- table). DuckDB has no checksum(): the sum of hash() over the same row text is order-independent too, and both sides
-- of the comparison are computed with it, over the same casts as the table's view.
SELECT count(*) AS row_count,
       coalesce(CAST(sum(hash(concat_ws('|', coalesce(CAST(CAST(reference_id AS BIGINT) AS varchar), '-'),
           CAST(package_name AS varchar), CAST(CAST(event_timestamp AS TIMESTAMP) AS varchar), CAST(submission_id AS varchar),
           CAST(submitted_by AS varchar), CAST(ingest_run_id AS varchar)))) AS varchar), '') AS checksum
FROM read_parquet([${files}], hive_partitioning = false)
