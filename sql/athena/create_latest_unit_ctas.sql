-- run: one business unit's rows of a new latest version, into that unit's folder of the version
-- (version={run}/business_unit={unit}/), hashed into the latest table's 29 buckets of package_name. The statement writes
-- no partition, so Athena's limit of 100 partitions (or partition and bucket combinations) per CTAS or INSERT INTO
-- applies to none, whatever the number of units. ${select} is a common/latest_unit_* fragment. The staging table is
-- dropped (metadata only) right after; the files are read through the candidate table (athena/create_latest_table).
CREATE TABLE ${database}.${staging_table}
WITH (format = 'PARQUET', write_compression = 'SNAPPY', external_location = '${location}',
      bucketed_by = ARRAY['package_name'], bucket_count = 29)
AS
${select}
