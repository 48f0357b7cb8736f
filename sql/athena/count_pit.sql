-- run: whether the PIT table holds any row (a non-empty PIT must give a non-empty latest).
SELECT count(*) AS row_count FROM ${database}.security_of_interest_pit
