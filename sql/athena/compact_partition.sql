-- compact: rewrites one PIT partition, as the table reads it now, into its compacted folder inside the engine, so no
-- row of it passes through the batch. The table this creates over the new files is what athena/compaction_checksum
-- reads to verify them; athena/drop_staging_table then forgets it (the files stay, as the table is external).
-- bucket_count is the number of files: Athena writes the rows of a bucket into its own file, and bucketing by
-- package_name keeps every version of a package in one of them. Athena ignores an ORDER BY in a CTAS, so the rows
-- within a file are in no particular order (see docs/commit-protocol.md, Compaction). The values are escaped literals:
-- a CTAS's properties take no parameters, and its SELECT is kept in the same form.
CREATE TABLE ${database}.${compaction_table}
WITH (format = 'PARQUET', write_compression = 'SNAPPY', external_location = '${location}',
      bucketed_by = ARRAY['package_name'], bucket_count = ${bucket_count})
AS
SELECT reference_id, package_name, event_timestamp, submission_id, submitted_by, ingest_run_id
FROM ${database}.security_of_interest_pit
WHERE business_unit = ${business_unit} AND request_date = ${request_date}
