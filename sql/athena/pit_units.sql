-- rebuild-latest --full: the business units that have PIT partitions in the catalog. Reads the partition metadata
-- (Glue GetPartitions), no data.
SELECT DISTINCT business_unit FROM ${database}."security_of_interest_pit$partitions" ORDER BY business_unit
