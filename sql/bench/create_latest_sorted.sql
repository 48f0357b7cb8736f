-- Benchmark only (bench/run scale, layout b): the first unit of an unpartitioned latest table whose files are sorted by
-- (business_unit, package_name), so that row groups small enough (the writer's block size, a session setting of the
-- benchmark) let a reader skip by their min/max statistics. Each further unit is bench/insert_latest_sorted: one
-- statement per unit keeps the sort within one unit's rows, where the engine's memory holds it. ${select}:
-- bench/latest_unit_rows.
CREATE TABLE ${database}.${table}
WITH (format = 'PARQUET', external_location = '${location}')
AS
${select}
