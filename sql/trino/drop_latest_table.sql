-- First half of the Trino form of athena/swap_latest: forgets the table (external, so its files stay).
DROP TABLE IF EXISTS ${database}.security_of_interest_latest
