-- Trino form of athena/create_latest_table (${table}: the latest table or a rebuild's candidate): `string` is `varchar`,
-- the partition column an ordinary column named by partitioned_by, and the projection's Glue properties Trino's own table
-- and column properties, which its Hive connector stores under the same Glue names (projection.enabled,
-- projection.business_unit.type and .values, storage.location.template). ${units} is a list of trino/unit_value.
CREATE TABLE IF NOT EXISTS ${database}.${table} (
  reference_id bigint,
  package_name varchar,
  event_timestamp timestamp,
  submission_id varchar,
  submitted_by varchar,
  ingest_run_id varchar,
  business_unit varchar WITH (partition_projection_type = 'ENUM', partition_projection_values = ARRAY[${units}])
)
WITH (format = 'PARQUET', external_location = '${location}', partitioned_by = ARRAY['business_unit'],
      bucketed_by = ARRAY['package_name'], bucket_count = 29,
      partition_projection_enabled = true, partition_projection_location_template = '${location_template}')
