-- Trino form of athena/create_latest_unit_ctas: Trino has no write_compression table property; the engine sets the
-- session property hive.compression_codec = 'SNAPPY' instead. ${select} runs as rendered for Athena.
CREATE TABLE ${database}.${staging_table}
WITH (format = 'PARQUET', external_location = '${location}', bucketed_by = ARRAY['package_name'], bucket_count = 29)
AS
${select}
