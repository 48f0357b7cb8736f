-- Tests only: every row of the PIT table (the batch never counts them: it would read all of history at each run).
SELECT count(*) AS row_count FROM ${database}.security_of_interest_pit
