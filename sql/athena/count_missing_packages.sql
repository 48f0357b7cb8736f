-- run: the publish guard's first, cheap half. How many packages the current latest table holds, and how many
-- of them the staging version lacks. Reads only the two latest versions, never PIT.
SELECT count(*) AS previous_packages,
       coalesce(sum(CASE WHEN staged.package_name IS NULL THEN 1 ELSE 0 END), 0) AS missing_packages
FROM (
  SELECT DISTINCT business_unit, package_name FROM ${database}.security_of_interest_latest
) previous
LEFT JOIN (
  SELECT DISTINCT business_unit, package_name FROM ${database}.${staging_table}
) staged
  ON staged.business_unit = previous.business_unit AND staged.package_name = previous.package_name
