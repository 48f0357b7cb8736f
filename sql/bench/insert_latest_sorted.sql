-- Benchmark only (bench/run scale, layout b): one more unit's rows, sorted, into the table bench/create_latest_sorted
-- made; new files beside the others. ${select}: bench/latest_unit_rows.
INSERT INTO ${database}.${table}
${select}
