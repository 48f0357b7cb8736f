-- bootstrap: the physical latest table. Each rebuild writes a new version folder and
-- athena/swap_latest points the table at it; at bootstrap it points at an empty folder.
CREATE EXTERNAL TABLE IF NOT EXISTS ${database}.security_of_interest_latest (
  reference_id bigint,
  package_name string,
  event_timestamp timestamp,
  submission_id string,
  submitted_by string,
  ingest_run_id string,
  business_unit string
)
STORED AS PARQUET
LOCATION '${location}'
TBLPROPERTIES ('parquet.compression' = 'SNAPPY')
