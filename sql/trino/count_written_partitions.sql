-- The Athena stand-in's check of Athena's limit on partitions a CTAS or INSERT INTO writes: how many distinct
-- partitions (values of ${columns}, the target's partition columns) the statement's query produces.
SELECT count(*) AS partitions FROM (SELECT DISTINCT ${columns} FROM (${query}) AS written) AS distinct_partitions
