-- Trino form of athena/create_latest_table, and the second half of athena/swap_latest (Trino cannot
-- SET LOCATION: the swap drops the table's catalog entry and creates it again over the new version).
CREATE TABLE IF NOT EXISTS ${database}.security_of_interest_latest (
  reference_id bigint,
  package_name varchar,
  event_timestamp timestamp,
  submission_id varchar,
  submitted_by varchar,
  ingest_run_id varchar,
  business_unit varchar
)
WITH (format = 'PARQUET', external_location = '${location}')
