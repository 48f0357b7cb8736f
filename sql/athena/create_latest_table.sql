-- bootstrap, and each rebuild's candidate table (${table} = security_of_interest_latest_stg_{run}): the latest table's
-- shape. Partitioned by business_unit through partition projection: no partition is registered; Athena computes each
-- unit's location from storage.location.template, which names one version folder, so one catalog update
-- (athena/swap_latest) moves every unit to a new version at once. ${units} is the enum of the units the version holds
-- (comma-separated). Bucketed by package_name (athena/create_latest_unit_ctas writes the same 29 buckets), so a lookup of
-- one package reads one file of its unit. LOCATION is the table's root; projection never reads it.
CREATE EXTERNAL TABLE IF NOT EXISTS ${database}.${table} (
  reference_id bigint,
  package_name string,
  event_timestamp timestamp,
  submission_id string,
  submitted_by string,
  ingest_run_id string
)
PARTITIONED BY (business_unit string)
CLUSTERED BY (package_name) INTO 29 BUCKETS
STORED AS PARQUET
LOCATION '${location}'
TBLPROPERTIES (
  'parquet.compression' = 'SNAPPY',
  'projection.enabled' = 'true',
  'projection.business_unit.type' = 'enum',
  'projection.business_unit.values' = ${units},
  'storage.location.template' = '${location_template}'
)
