-- Trino form of athena/create_pit_table: Hive's `string` is `varchar`, the partition columns are ordinary
-- columns named by partitioned_by, and STORED AS / LOCATION become table properties. Same columns, same order.
CREATE TABLE IF NOT EXISTS ${database}.security_of_interest_pit (
  reference_id bigint,
  package_name varchar,
  event_timestamp timestamp,
  submission_id varchar,
  submitted_by varchar,
  ingest_run_id varchar,
  business_unit varchar,
  request_date varchar
)
WITH (format = 'PARQUET', partitioned_by = ARRAY['business_unit', 'request_date'], external_location = '${location}')
