-- Benchmark only (bench/run scale, layout c): the whole latest table in one statement, unpartitioned and bucketed by
-- package_name into the latest table's 29 buckets, so a package lookup reads one bucket's file, of every unit at once.
-- ${select}: common/latest_from_pit (the full rebuild), or bench/latest_rows (a copy of the current version).
CREATE TABLE ${database}.${table}
WITH (format = 'PARQUET', external_location = '${location}', bucketed_by = ARRAY['package_name'], bucket_count = 29)
AS
${select}
