-- Resetting the stand-in's catalog (tests): forgets the emptied schema.
DROP SCHEMA IF EXISTS ${database}
