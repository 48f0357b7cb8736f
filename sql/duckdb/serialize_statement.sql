-- ./soi query: DuckDB's own parse of the user's text, as JSON; only a SELECT serialises ("error": true otherwise).
SELECT json_serialize_sql(?) AS ast
