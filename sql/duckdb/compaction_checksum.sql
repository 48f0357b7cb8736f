-- athena/compaction_checksum on DuckDB (see duckdb/partition_checksum).
SELECT count(*) AS row_count,
       coalesce(CAST(sum(hash(concat_ws('|', coalesce(CAST(reference_id AS varchar), '-'), package_name,
           CAST(event_timestamp AS varchar), submission_id, submitted_by, ingest_run_id))) AS varchar), '') AS checksum
FROM ${database}.${compaction_table}
