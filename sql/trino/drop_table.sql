-- Resetting the stand-in's catalog (tests): forgets one table of the schema; tables are external, files stay.
DROP TABLE IF EXISTS ${database}.${table}
