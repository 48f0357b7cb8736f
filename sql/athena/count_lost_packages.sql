-- run: the publish guard's second half, asked only when the staging version lacks packages of the current one.
-- A package may leave the latest table only through a tombstone newer than the version the table holds;
-- any other missing package is lost (a PIT partition missing from the catalog, a damaged file). Counts those.
SELECT count(*) AS lost_packages
FROM (
  SELECT DISTINCT business_unit, package_name, event_timestamp, submission_id
  FROM ${database}.security_of_interest_latest
) previous
WHERE NOT EXISTS (
  SELECT 1 FROM ${database}.${staging_table} staged
  WHERE staged.business_unit = previous.business_unit AND staged.package_name = previous.package_name
)
AND NOT EXISTS (
  SELECT 1 FROM ${database}.security_of_interest_pit tombstone
  WHERE tombstone.business_unit = previous.business_unit AND tombstone.package_name = previous.package_name
    AND tombstone.reference_id IS NULL
    AND (tombstone.event_timestamp > previous.event_timestamp
         OR (tombstone.event_timestamp = previous.event_timestamp AND tombstone.submission_id > previous.submission_id))
)
