-- athena/partition_checksum on DuckDB: DuckDB has no checksum(); the sum of hash() over the same row text is
-- order-independent too, and both sides of the comparison are computed with it.
SELECT count(*) AS row_count,
       coalesce(CAST(sum(hash(concat_ws('|', coalesce(CAST(reference_id AS varchar), '-'), package_name,
           CAST(event_timestamp AS varchar), submission_id, submitted_by, ingest_run_id))) AS varchar), '') AS checksum
FROM ${database}.security_of_interest_pit
WHERE business_unit = ? AND request_date = ?
