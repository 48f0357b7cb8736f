-- First half of the Trino form of athena/set_partition_location: Trino's Hive connector cannot ALTER a
-- partition's location, so the stand-in forgets the partition (its files stay) and trino/register_partition adds
-- it again at the new folder. Two metastore calls, where Athena's is one; the stand-in runs them under the lease.
CALL system.unregister_partition(
  schema_name => ${schema},
  table_name => 'security_of_interest_pit',
  partition_columns => ARRAY['business_unit', 'request_date'],
  partition_values => ARRAY[${business_unit}, ${request_date}]
)
