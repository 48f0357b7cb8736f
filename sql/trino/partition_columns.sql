-- The partition columns of a table, in order: what the Athena stand-in counts an INSERT INTO's partitions by.
SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND extra_info = 'partition key'
ORDER BY ordinal_position
