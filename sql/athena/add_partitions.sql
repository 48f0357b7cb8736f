-- run: registers the partitions a run wrote, in one statement (chunked by the caller).
-- ${partitions} is a list of athena/partition_spec fragments.
ALTER TABLE ${database}.security_of_interest_pit ADD IF NOT EXISTS
${partitions}
