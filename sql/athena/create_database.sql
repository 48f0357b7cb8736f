-- bootstrap: the Glue database that holds both tables. Idempotent.
CREATE DATABASE IF NOT EXISTS ${database}
