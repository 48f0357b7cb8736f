-- Only after Trino refused a CTAS whose result was empty: it wrote no file, so the local folder was never
-- created and Trino reports "External table location does not exist". On S3 an empty prefix needs no folder and
-- Athena creates the empty table; this creates the same empty staging table over a new, empty folder.
CREATE TABLE ${database}.${staging_table} (
  reference_id bigint,
  package_name varchar,
  event_timestamp timestamp,
  submission_id varchar,
  submitted_by varchar,
  ingest_run_id varchar,
  business_unit varchar
)
WITH (format = 'PARQUET', external_location = '${location}')
