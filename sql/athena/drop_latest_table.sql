-- run, once: the latest table of an earlier release (unpartitioned, one LOCATION per version) cannot take
-- athena/swap_latest, so the first rebuild after an upgrade forgets it (its files stay) and creates it again in the
-- current shape at the new version. The only swap that is two catalog updates; a reader between them finds no table.
DROP TABLE IF EXISTS ${database}.security_of_interest_latest
