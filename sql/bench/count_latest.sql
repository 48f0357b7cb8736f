-- Benchmark only: how many rows the latest table holds (the same at every history size, by design of the data).
SELECT count(*) AS row_count FROM ${database}.security_of_interest_latest
