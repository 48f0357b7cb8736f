-- run: forgets the CTAS staging table. Its data is external and is now the latest version, so
-- only the catalog entry goes.
DROP TABLE IF EXISTS ${database}.${staging_table}
