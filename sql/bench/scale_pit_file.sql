-- Benchmark only (bench/run scale): one PIT file of unit ${business_unit}, generated inside DuckDB rather than row by
-- row through the JVM, and written to ${file}, the key the product's layout gives it. Each package number of ${packages}
-- (comma-separated) gets one new version of ${ids} ids (distinct, each drawn from its own slice of ${id_spacing} values),
-- accepted at a moment of [${window_start}, + ${window_millis} ms) drawn from the package's hash, and taken by the
-- 5-minute run that follows that moment (run id: its start stamp, then -00000000). ${version} seeds ids, moments and
-- submission ids, so a resubmission changes them. Rows sorted as the batch's writer and the compaction sort a file;
-- row groups as the DuckDB compaction writes them.
COPY (
  WITH versions AS (
    SELECT p,
           printf('job_%05d', p) AS package_name,
           CAST(${window_start} AS TIMESTAMP)
             + to_milliseconds(CAST(hash(${business_unit}, p, ${version}) % ${window_millis} AS BIGINT)) AS accepted_at
    FROM (SELECT CAST(unnest(string_split(${packages}, ',')) AS BIGINT) AS p)
  )
  SELECT CAST(1 + i * ${id_spacing} + hash(${business_unit}, p, ${version}, i) % ${id_spacing} AS BIGINT) AS reference_id,
         package_name,
         accepted_at AS event_timestamp,
         printf('%08x-%04x-7%03x-8%03x-%012x', epoch_ms(accepted_at) >> 16, epoch_ms(accepted_at) & 65535,
                hash(${business_unit}, p, ${version}, 'a') % 4096, hash(${business_unit}, p, ${version}, 'b') % 4096,
                hash(${business_unit}, p, ${version}, 'c') % 281474976710656) AS submission_id,
         'bench' AS submitted_by,
         strftime(time_bucket(INTERVAL 5 MINUTE, accepted_at) + INTERVAL 5 MINUTE, '%Y%m%dt%H%M%Sz') || '-00000000' AS ingest_run_id
  FROM versions, range(${ids}) AS r(i)
  ORDER BY package_name, reference_id
) TO '${file}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 100000)
