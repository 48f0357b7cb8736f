-- One page of a business unit's latest packages, by package name: one row per package with its id count
-- and version. Paging counts packages, not ids, so a page is bounded whatever the package sizes.
-- Parameters: business_unit, first package number (exclusive), last package number (inclusive).
SELECT package_name, reference_ids_count, event_timestamp, submission_id
FROM (
  SELECT package_name,
         count(*) AS reference_ids_count,
         max(event_timestamp) AS event_timestamp,
         max(submission_id) AS submission_id,
         row_number() OVER (ORDER BY package_name) AS package_number
  FROM ${database}.security_of_interest_latest
  WHERE business_unit = ?
  GROUP BY package_name
) numbered
WHERE package_number > ? AND package_number <= ?
ORDER BY package_name
