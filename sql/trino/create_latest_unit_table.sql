-- The empty staging table made when Trino refused a per-unit CTAS whose result was empty (every package of the unit
-- deleted): it wrote no file, so the local folder never appeared ("External table location does not exist"), where on
-- S3 an empty prefix needs no folder and Athena creates the empty table.
CREATE TABLE IF NOT EXISTS ${database}.${staging_table} (
  reference_id bigint,
  package_name varchar,
  event_timestamp timestamp,
  submission_id varchar,
  submitted_by varchar,
  ingest_run_id varchar
)
WITH (format = 'PARQUET', external_location = '${location}', bucketed_by = ARRAY['package_name'], bucket_count = 29)
