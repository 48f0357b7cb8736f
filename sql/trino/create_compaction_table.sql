-- Trino form of athena/create_compaction_table: `string` is `varchar`, location a table property.
CREATE TABLE IF NOT EXISTS ${database}.${compaction_table} (
  reference_id bigint,
  package_name varchar,
  event_timestamp timestamp,
  submission_id varchar,
  submitted_by varchar,
  ingest_run_id varchar
)
WITH (format = 'PARQUET', external_location = '${location}')
