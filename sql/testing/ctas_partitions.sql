-- Tests only: a CTAS that writes ${partitions} partitions of one row each (the Athena stand-in's 100-partition limit).
CREATE TABLE ${database}.${table}
WITH (format = 'PARQUET', external_location = '${location}', partitioned_by = ARRAY['part'])
AS
SELECT n, n AS part FROM UNNEST(sequence(1, ${partitions})) AS numbers(n)
