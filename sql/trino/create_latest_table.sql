-- Trino form of athena/create_latest_table (${table} is security_of_interest_latest), and the second half of
-- athena/swap_latest: Trino cannot SET LOCATION, so the swap drops the table's catalog entry and creates it again
-- over the new version. Also the empty staging table made when Trino refused a CTAS whose result was empty: it
-- wrote no file, so the local folder never appeared ("External table location does not exist"), where on S3 an
-- empty prefix needs no folder and Athena creates the empty table.
CREATE TABLE IF NOT EXISTS ${database}.${table} (
  reference_id bigint,
  package_name varchar,
  event_timestamp timestamp,
  submission_id varchar,
  submitted_by varchar,
  ingest_run_id varchar,
  business_unit varchar
)
WITH (format = 'PARQUET', external_location = '${location}')
