-- compact: athena/partition_checksum over a compaction's new files, read through the table athena/compact_partition
-- made over their folder.
SELECT count(*) AS row_count,
       coalesce(to_hex(checksum(concat_ws('|', coalesce(CAST(reference_id AS varchar), '-'), package_name,
           CAST(event_timestamp AS varchar), submission_id, submitted_by, ingest_run_id))), '') AS checksum
FROM ${database}.${compaction_table}
