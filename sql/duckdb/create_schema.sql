-- athena/create_database on DuckDB: the schema that holds the views of this database.
CREATE SCHEMA IF NOT EXISTS ${database}
