-- Trino form of athena/compact_partition: Trino has no write_compression table property; the engine sets the session
-- property hive.compression_codec = 'SNAPPY' instead. The bucketing and the SELECT run as rendered for Athena.
CREATE TABLE ${database}.${compaction_table}
WITH (format = 'PARQUET', external_location = '${location}',
      bucketed_by = ARRAY['package_name'], bucket_count = ${bucket_count})
AS
SELECT reference_id, package_name, event_timestamp, submission_id, submitted_by, ingest_run_id
FROM ${database}.security_of_interest_pit
WHERE business_unit = ${business_unit} AND request_date = ${request_date}
