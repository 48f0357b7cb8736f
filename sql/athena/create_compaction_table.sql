-- compact: a table over one compaction's new folder (the PIT columns, unpartitioned), so the engine can
-- checksum the new files before the partition points at them. Dropped by athena/drop_staging_table.
CREATE EXTERNAL TABLE IF NOT EXISTS ${database}.${compaction_table} (
  reference_id bigint,
  package_name string,
  event_timestamp timestamp,
  submission_id string,
  submitted_by string,
  ingest_run_id string
)
STORED AS PARQUET
LOCATION '${location}'
TBLPROPERTIES ('parquet.compression' = 'SNAPPY')
