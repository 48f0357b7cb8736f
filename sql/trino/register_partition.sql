-- Trino form of one athena/partition_spec of athena/add_partitions. Unlike ADD IF NOT EXISTS, this call fails
-- for a partition already registered, so the engine first reads trino/registered_partitions.
CALL system.register_partition(
  schema_name => ${schema},
  table_name => 'security_of_interest_pit',
  partition_columns => ARRAY['business_unit', 'request_date'],
  partition_values => ARRAY[${business_unit}, ${request_date}],
  location => '${location}'
)
