-- compact: the row count and an order-independent checksum over every column of one PIT partition as the
-- table reads it now (its current location). Compared with athena/compaction_checksum before the swap.
-- checksum() is a sum of per-value hashes, so row order does not matter and a doubled row changes it.
-- Parameters: business_unit, request_date.
SELECT count(*) AS row_count,
       coalesce(to_hex(checksum(concat_ws('|', coalesce(CAST(reference_id AS varchar), '-'), package_name,
           CAST(event_timestamp AS varchar), submission_id, submitted_by, ingest_run_id))), '') AS checksum
FROM ${database}.security_of_interest_pit
WHERE business_unit = ? AND request_date = ?
