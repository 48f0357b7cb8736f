-- Trino form of athena/create_database: Trino has schemas, not databases (Athena accepts both words).
CREATE SCHEMA IF NOT EXISTS ${database}
