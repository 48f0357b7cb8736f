-- bootstrap: the point-in-time history, one row per reference id (a tombstone has reference_id NULL).
-- Partitions are registered explicitly by athena/add_partitions (no crawler, no MSCK).
CREATE EXTERNAL TABLE IF NOT EXISTS ${database}.security_of_interest_pit (
  reference_id bigint,
  package_name string,
  event_timestamp timestamp,
  submission_id string,
  submitted_by string,
  ingest_run_id string
)
PARTITIONED BY (business_unit string, request_date string)
STORED AS PARQUET
LOCATION '${location}'
TBLPROPERTIES ('parquet.compression' = 'SNAPPY')
